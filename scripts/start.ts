/**
 * `npm start`: the whole system in one process on the embedded default: the card, Alipay and WeChat Pay simulators (sandbox),
 * the payment, accounting, transaction and analytics subgraphs and the gateway, each its own HTTP server with its own
 * database, exchanging events in process (or through Redis when REDIS_URL is set).
 */
import { loadGatewayConfig } from '../gateway/config.js';
import { startGateway } from '../gateway/server.js';
import { loadEventsConfig } from '../lib/events/config.js';
import { createTransport } from '../lib/events/transport.js';
import { startCardSimulator } from '../simulators/card/server.js';
import { loadCardSimulatorConfig } from '../simulators/card/config.js';
import { loadAlipaySimulatorConfig } from '../simulators/alipay/config.js';
import { startAlipaySimulator } from '../simulators/alipay/server.js';
import { loadWechatPaySimulatorConfig } from '../simulators/wechat/config.js';
import { startWechatPaySimulator } from '../simulators/wechat/server.js';
import { loadAccountingConfig } from '../subgraphs/accounting/config.js';
import { startAccountingSubgraph } from '../subgraphs/accounting/index.js';
import { loadAnalyticsConfig } from '../subgraphs/analytics/config.js';
import { startAnalyticsSubgraph } from '../subgraphs/analytics/index.js';
import { loadPaymentConfig } from '../subgraphs/payment/config.js';
import { startPaymentSubgraph } from '../subgraphs/payment/index.js';
import { loadTransactionConfig } from '../subgraphs/transaction/config.js';
import { startTransactionSubgraph } from '../subgraphs/transaction/index.js';
import { closeOnSignal, failStart } from './run-until-signal.js';

const env = process.env;
try {
  const paymentConfig = loadPaymentConfig(env);
  const accountingConfig = loadAccountingConfig(env);
  const transactionConfig = loadTransactionConfig(env);
  const analyticsConfig = loadAnalyticsConfig(env);
  const events = loadEventsConfig(env);
  const transport = createTransport(events);
  const closers: (() => Promise<void>)[] = [transport.close];
  // Providers reach the payment subgraph's callbacks through the gateway's host, as in production.
  const gatewayPort = loadGatewayConfig(env).port;
  if (!paymentConfig.publicUrl && gatewayPort !== 0) paymentConfig.publicUrl = `http://127.0.0.1:${gatewayPort}`;
  const where = (databaseUrl: string | undefined, dataDir: string) => (databaseUrl ? 'PostgreSQL' : `SQLite in ${dataDir}`);
  if (paymentConfig.sandbox && !env['CARD_PROVIDER_URL']) {
    const simulator = await startCardSimulator(loadCardSimulatorConfig(env));
    paymentConfig.card.baseUrl = simulator.url;
    closers.push(simulator.close);
    console.log(`card simulator        ${simulator.url}`);
  }
  if (paymentConfig.sandbox && paymentConfig.alipay && !env['ALIPAY_GATEWAY_URL']) {
    const simulator = await startAlipaySimulator(loadAlipaySimulatorConfig(env));
    paymentConfig.alipay.gatewayUrl = simulator.gatewayUrl;
    closers.push(simulator.close);
    console.log(`alipay simulator      ${simulator.gatewayUrl}`);
  }
  if (paymentConfig.sandbox && paymentConfig.wechatPay && !env['WECHATPAY_URL']) {
    const simulator = await startWechatPaySimulator(loadWechatPaySimulatorConfig(env));
    paymentConfig.wechatPay.baseUrl = simulator.url;
    closers.push(simulator.close);
    console.log(`wechat pay simulator  ${simulator.url}`);
  }
  const payment = await startPaymentSubgraph(paymentConfig, { transport });
  closers.push(payment.close);
  console.log(`payment subgraph      ${payment.url}/graphql  (${where(paymentConfig.databaseUrl, paymentConfig.dataDir)})`);
  // accounting asks the payment subgraph for providers' statements (reconciliation)
  accountingConfig.paymentSubgraphUrl = env['PAYMENT_SUBGRAPH_URL'] ?? payment.url;
  const accounting = await startAccountingSubgraph(accountingConfig, { transport });
  closers.push(accounting.close);
  console.log(`accounting subgraph   ${accounting.url}/graphql  (${where(accountingConfig.databaseUrl, accountingConfig.dataDir)})`);
  const transaction = await startTransactionSubgraph(transactionConfig, { transport });
  closers.push(transaction.close);
  console.log(`transaction subgraph  ${transaction.url}/graphql  (${where(transactionConfig.databaseUrl, transactionConfig.dataDir)})`);
  const analytics = await startAnalyticsSubgraph(analyticsConfig, { transport });
  closers.push(analytics.close);
  console.log(`analytics subgraph    ${analytics.url}/graphql  (${where(analyticsConfig.databaseUrl, analyticsConfig.dataDir)})`);
  console.log(`events                ${events.redisUrl ? `Redis Streams at ${events.redisUrl}` : 'in process'}`);
  const gatewayConfig = loadGatewayConfig({
    ...env,
    PAYMENT_SUBGRAPH_URL: env['PAYMENT_SUBGRAPH_URL'] ?? payment.url,
    ACCOUNTING_SUBGRAPH_URL: env['ACCOUNTING_SUBGRAPH_URL'] ?? accounting.url,
    TRANSACTION_SUBGRAPH_URL: env['TRANSACTION_SUBGRAPH_URL'] ?? transaction.url,
    ANALYTICS_SUBGRAPH_URL: env['ANALYTICS_SUBGRAPH_URL'] ?? analytics.url,
  });
  const gateway = await startGateway(gatewayConfig, { transport });
  closers.push(gateway.close);
  console.log(`gateway               ${gateway.url}/graphql   health: ${gateway.url}/health`);
  console.log(`explorer              ${gateway.url}/   (GraphiQL, in a browser)`);
  if (gatewayConfig.adminApiKeyGenerated) {
    console.log(`\nADMIN_API_KEY was not set; this run's admin key (shown once):\n  ${gatewayConfig.adminApiKey}\n`);
  }
  closeOnSignal(closers);
} catch (error) {
  failStart(error);
}

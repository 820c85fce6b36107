/**
 * `npm start`: the whole system in one process on the embedded default: the card simulator (sandbox),
 * the payment subgraph and the gateway, each its own HTTP server with its own database.
 */
import { loadGatewayConfig } from '../gateway/config.js';
import { startGateway } from '../gateway/server.js';
import { startCardSimulator } from '../simulators/card/server.js';
import { loadCardSimulatorConfig } from '../simulators/card/config.js';
import { loadPaymentConfig } from '../subgraphs/payment/config.js';
import { startPaymentSubgraph } from '../subgraphs/payment/index.js';
import { closeOnSignal, failStart } from './run-until-signal.js';

const env = process.env;
try {
  const paymentConfig = loadPaymentConfig(env);
  const closers: (() => Promise<void>)[] = [];
  if (paymentConfig.sandbox && !env['CARD_PROVIDER_URL']) {
    const simulator = await startCardSimulator(loadCardSimulatorConfig(env));
    paymentConfig.card.baseUrl = simulator.url;
    closers.push(simulator.close);
    console.log(`card simulator      ${simulator.url}`);
  }
  const payment = await startPaymentSubgraph(paymentConfig);
  closers.push(payment.close);
  console.log(`payment subgraph    ${payment.url}/graphql  (${paymentConfig.databaseUrl ? 'PostgreSQL' : `SQLite in ${paymentConfig.dataDir}`})`);
  const gatewayConfig = loadGatewayConfig({ ...env, PAYMENT_SUBGRAPH_URL: env['PAYMENT_SUBGRAPH_URL'] ?? payment.url });
  const gateway = await startGateway(gatewayConfig);
  closers.push(gateway.close);
  console.log(`gateway             ${gateway.url}/graphql   health: ${gateway.url}/health`);
  if (gatewayConfig.adminApiKeyGenerated) {
    console.log(`\nADMIN_API_KEY was not set; this run's admin key (shown once):\n  ${gatewayConfig.adminApiKey}\n`);
  }
  closeOnSignal(closers);
} catch (error) {
  failStart(error);
}

/**
 * `npm start`: the whole system in one process on the embedded default: the card, Alipay and WeChat Pay simulators (sandbox),
 * the payment, accounting, transaction and analytics subgraphs and the gateway, each its own HTTP server with its own
 * database, exchanging events in process (or through Redis when REDIS_URL is set).
 */
import { startInProcessSystem } from '../system/in-process.js';
import { closeOnSignal, failStart } from './run-until-signal.js';
import { loadTracingConfig } from '../lib/tracing/config.js';
import { startTracing } from '../lib/tracing/tracing.js';

try {
  // before the services: they install their tracing hooks as they start, only when it is on
  const tracing = startTracing(loadTracingConfig());
  const system = await startInProcessSystem({ env: process.env });
  const { configs, simulators } = system;
  const where = (config: { databaseUrl: string | undefined; dataDir: string }) => (config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`);
  if (simulators.card) console.log(`card simulator        ${simulators.card.url}`);
  if (simulators.alipay) console.log(`alipay simulator      ${simulators.alipay.gatewayUrl}`);
  if (simulators.wechatPay) console.log(`wechat pay simulator  ${simulators.wechatPay.url}`);
  console.log(`payment subgraph      ${system.payment.url}/graphql  (${where(configs.payment)})`);
  console.log(`accounting subgraph   ${system.accounting.url}/graphql  (${where(configs.accounting)})`);
  console.log(`transaction subgraph  ${system.transaction.url}/graphql  (${where(configs.transaction)})`);
  console.log(`analytics subgraph    ${system.analytics.url}/graphql  (${where(configs.analytics)})`);
  console.log(`events                ${configs.events.redisUrl ? `Redis Streams at ${configs.events.redisUrl}` : 'in process'}`);
  console.log(`gateway               ${system.gateway.url}/graphql   health: ${system.gateway.url}/health`);
  console.log(`explorer              ${system.gateway.url}/   (GraphiQL, in a browser)`);
  const metrics = Object.entries({ gateway: system.gateway, payment: system.payment, accounting: system.accounting, transaction: system.transaction, analytics: system.analytics });
  for (const [name, service] of metrics) if (service.metricsUrl) console.log(`metrics ${name.padEnd(14)}${service.metricsUrl}`);
  if (configs.gateway.adminApiKeyGenerated) {
    console.log(`\nADMIN_API_KEY was not set; this run's admin key (shown once):\n  ${configs.gateway.adminApiKey}\n`);
  }
  closeOnSignal([tracing.shutdown, system.close]);
} catch (error) {
  failStart(error);
}

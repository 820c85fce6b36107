/**
 * `npm run start:subgraph -- <name>`: one subgraph alone, configured from the environment. Alone,
 * subgraphs exchange events through Redis (REDIS_URL); the in-process transport only connects
 * services that run in one process (`npm start`).
 */
import { loadEventsConfig } from '../lib/events/config.js';
import { loadFaultsConfig } from '../lib/faults/config.js';
import { armCrashPoint } from '../lib/faults/crash-points.js';
import { createRedisTransport } from '../lib/events/redis-transport.js';
import { requireRedis } from '../lib/health/redis-check.js';
import { createRedisNonceStore } from '../lib/nonce-store.js';
import { loadAccountingConfig } from '../subgraphs/accounting/config.js';
import { startAccountingSubgraph } from '../subgraphs/accounting/index.js';
import { loadAnalyticsConfig } from '../subgraphs/analytics/config.js';
import { startAnalyticsSubgraph } from '../subgraphs/analytics/index.js';
import { loadPaymentConfig } from '../subgraphs/payment/config.js';
import { startPaymentSubgraph } from '../subgraphs/payment/index.js';
import { loadTransactionConfig } from '../subgraphs/transaction/config.js';
import { startTransactionSubgraph } from '../subgraphs/transaction/index.js';
import { closeOnSignal, failStart } from './run-until-signal.js';
import { loadTracingConfig } from '../lib/tracing/config.js';
import { startTracing } from '../lib/tracing/tracing.js';

const events = loadEventsConfig();
const transport = events.redisUrl ? createRedisTransport({ url: events.redisUrl, claimIdleMs: events.claimIdleMs }) : undefined;
// replicas of a subgraph share the nonces of signed requests through Redis (without it, each keeps its own)
const nonces = events.redisUrl ? createRedisNonceStore({ url: events.redisUrl }) : undefined;

const starters = {
  payment: () => {
    if (!transport) console.warn('REDIS_URL is not set: payment events stay in the outbox until a relay with a transport publishes them');
    return startPaymentSubgraph(loadPaymentConfig(), { transport, nonces, redisUrl: events.redisUrl });
  },
  accounting: () => {
    if (!transport) failStart('the accounting subgraph alone needs REDIS_URL to receive payment events');
    return startAccountingSubgraph(loadAccountingConfig(), { transport, nonces, redisUrl: events.redisUrl });
  },
  transaction: () => {
    if (!transport) failStart('the transaction subgraph alone needs REDIS_URL to receive payment and accounting events');
    return startTransactionSubgraph(loadTransactionConfig(), { transport, nonces, redisUrl: events.redisUrl });
  },
  analytics: () => {
    if (!transport) failStart('the analytics subgraph alone needs REDIS_URL to receive payment and accounting events');
    return startAnalyticsSubgraph(loadAnalyticsConfig(), { transport, nonces, redisUrl: events.redisUrl });
  },
};

const name = process.argv[2] ?? '';
if (!Object.hasOwn(starters, name)) failStart(`usage: npm run start:subgraph -- <${Object.keys(starters).join('|')}>`);
try {
  armCrashPoint(loadFaultsConfig());
  if (events.redisUrl) await requireRedis(name, events.redisUrl);
  const tracing = startTracing(loadTracingConfig());
  const server = await starters[name as keyof typeof starters]();
  console.log(`${name} subgraph ${server.url}/graphql`);
  closeOnSignal([tracing.shutdown, async () => transport?.close(), async () => nonces?.close(), server.close]);
} catch (error) {
  failStart(error);
}

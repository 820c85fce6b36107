/** `npm run start:gateway`: the gateway alone, in front of subgraphs started elsewhere. */
import { loadEventsConfig } from '../lib/events/config.js';
import { createTransport } from '../lib/events/transport.js';
import { requireRedis } from '../lib/health/redis-check.js';
import { closeOnSignal, failStart } from './run-until-signal.js';
import { loadTracingConfig } from '../lib/tracing/config.js';
import { startTracing } from '../lib/tracing/tracing.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { rateLimitRedis } from '../gateway/rate-limits/redis-store.js';
import { startGateway } from '../gateway/server.js';

try {
  const config = loadGatewayConfig();
  const tracing = startTracing(loadTracingConfig());
  const events = loadEventsConfig();
  if (events.redisUrl) await requireRedis('gateway', events.redisUrl);
  // Alone, the gateway can only hear payment events through Redis; without it, subscriptions are refused.
  const transport = events.redisUrl ? createTransport(events) : undefined;
  // Replicas share their rate limits and automatic persisted queries through the same Redis.
  const rateLimitStore = events.redisUrl ? rateLimitRedis(events.redisUrl) : undefined;
  const gateway = await startGateway(config, { transport, redisUrl: events.redisUrl, rateLimitRedis: rateLimitStore?.client });
  console.log(`gateway ${gateway.url}/graphql  health: ${gateway.url}/health  explorer: ${gateway.url}/`);
  if (config.adminApiKeyGenerated) console.log(`ADMIN_API_KEY was not set; this run's admin key (shown once):\n  ${config.adminApiKey}`);
  closeOnSignal([tracing.shutdown, gateway.close, ...(transport ? [transport.close] : []), ...(rateLimitStore ? [rateLimitStore.close] : [])]);
} catch (error) {
  failStart(error);
}

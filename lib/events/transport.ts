import type { EventsConfig } from './config.js';
import type { EventTransport } from './event.js';
import { createInProcessTransport } from './in-process-transport.js';
import { createRedisTransport } from './redis-transport.js';

/** Redis Streams when REDIS_URL is set, else the in-process transport (every service in this process). */
export function createTransport(config: EventsConfig): EventTransport {
  return config.redisUrl
    ? createRedisTransport({ url: config.redisUrl, claimIdleMs: config.claimIdleMs })
    : createInProcessTransport();
}

import type { PersistedQueryOptions } from '@apollo/server';
import { openConnection } from '../../lib/events/redis-consumer.js';

export type QueryCache = NonNullable<PersistedQueryOptions['cache']>;

/** Where the gateway replicas' automatic persisted queries live in Redis (Apollo adds its `apq:` before the hash). */
export const APQ_KEY_PREFIX = 'paygraph:';

/**
 * Apollo's KeyValueCache over Redis, so that a query registered through one gateway replica is known
 * to all. Every entry expires (maxTtlSeconds at most), so the set is bounded by what was registered in
 * that time; Redis's maxmemory policy bounds the rest. Redis being down or slow costs only the
 * shortcut: a failed read is a miss (the client sends the query text again), a failed write is dropped.
 */
export function redisQueryCache(url: string, maxTtlSeconds: number): QueryCache & { close: () => void } {
  // No offline queue and a command timeout: a request never waits on Redis longer than that.
  const redis = openConnection(url, 'persisted queries', { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 });
  return {
    async get(key) {
      try {
        return (await redis.get(APQ_KEY_PREFIX + key)) ?? undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value, options) {
      const ttl = Math.min(options?.ttl ?? maxTtlSeconds, maxTtlSeconds);
      try {
        await redis.set(APQ_KEY_PREFIX + key, value, 'EX', Math.max(1, Math.ceil(ttl)));
      } catch {
        // the next request for it is a miss, answered by the query text
      }
    },
    async delete(key) {
      try {
        return (await redis.del(APQ_KEY_PREFIX + key)) > 0;
      } catch {
        return false;
      }
    },
    close: () => redis.disconnect(),
  };
}

/** Registers nothing and knows nothing: automatic persisted queries with registration off (a safelist is enforced). */
export const registeringNothing: QueryCache = {
  get: async () => undefined,
  set: async () => undefined,
  delete: async () => false,
};

import { Redis } from 'ioredis';

/**
 * The Redis connection of the rate limits (REDIS_URL): commands fail at once while it is down, and
 * after a second when it hangs, so the in-memory insurance answers instead of requests waiting on it.
 */
export function rateLimitRedis(url: string): { client: Redis; close: () => Promise<void> } {
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 1000, connectionName: 'paygraph-gateway-rate-limits' });
  // Errors reach each command (and the insurance limiter); the connection retries by itself.
  client.on('error', () => undefined);
  return {
    client,
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

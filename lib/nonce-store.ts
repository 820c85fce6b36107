import type { Redis } from 'ioredis';
import { openConnection } from './events/redis-consumer.js';
import { logger } from './logger.js';

const log = logger('nonce-store');

/**
 * Where a service remembers the nonces of the signed requests it accepted (lib/internal-signature.ts),
 * each until its signature is stale anyway: a nonce seen again in that time is a replay.
 */
export interface NonceStore {
  /** true the first time `key` is claimed within `ttlMs`; false when it was already (a replay); never rejects */
  claim: (key: string, ttlMs: number) => Promise<boolean>;
  close: () => Promise<void>;
}

/** Entries kept at most by a memory store: ~200 bytes each; 6,600 signed requests a second over a 30 s window. */
export const MEMORY_NONCE_LIMIT = 200_000;

/**
 * One process's nonces, bounded: expired entries are dropped as new ones come (in insertion order,
 * which is nearly expiry order), and past `maxEntries` the oldest go first, those closest to stale.
 */
export function createMemoryNonceStore(options: { maxEntries?: number; now?: () => number } = {}): NonceStore {
  const maxEntries = options.maxEntries ?? MEMORY_NONCE_LIMIT;
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();
  const claimNow = (key: string, ttlMs: number): boolean => {
    const at = now();
    for (const [oldest, expiresAt] of expiries) {
      if (expiresAt > at && expiries.size < maxEntries) break;
      expiries.delete(oldest);
    }
    const known = expiries.get(key);
    if (known !== undefined && known > at) return false;
    expiries.set(key, at + ttlMs);
    return true;
  };
  return {
    claim: (key, ttlMs) => Promise.resolve(claimNow(key, ttlMs)),
    close: () => Promise.resolve(),
  };
}

/** The Redis key of a nonce: the caller's key (service:nonce) under Paygraph's prefix. */
export const nonceKey = (key: string) => `paygraph:nonce:${key}`;

/**
 * Nonces in Redis (`SET key 1 NX PX ttl`), shared by every replica of a service. While Redis cannot
 * answer, each replica falls back to its own memory (a replay to the same replica is still refused)
 * rather than refusing every internal request.
 */
export function createRedisNonceStore(options: { url: string; commandTimeoutMs?: number }): NonceStore {
  const redis: Redis = openConnection(options.url, 'nonces', { commandTimeout: options.commandTimeoutMs ?? 1_000, maxRetriesPerRequest: 0 });
  // Claims wait for the first connection (requests that come as the service starts); once it was up, a claim
  // while Redis is down falls back at once instead of waiting for it.
  let connectedOnce = false;
  redis.once('ready', () => (connectedOnce = true));
  const fallback = createMemoryNonceStore();
  let warned = false;
  const inMemory = (key: string, ttlMs: number, why: string) => {
    if (!warned) log.warn(`nonce store: Redis did not answer (${why}); nonces are kept in this process meanwhile`);
    warned = true;
    return fallback.claim(key, ttlMs);
  };
  return {
    async claim(key, ttlMs) {
      if (connectedOnce && redis.status !== 'ready') return inMemory(key, ttlMs, redis.status);
      try {
        const reply = await redis.set(nonceKey(key), '1', 'PX', ttlMs, 'NX');
        warned = false;
        return reply === 'OK';
      } catch (error) {
        return inMemory(key, ttlMs, error instanceof Error ? error.message : String(error));
      }
    },
    async close() {
      if (redis.status === 'ready') await redis.quit();
      else redis.disconnect();
    },
  };
}

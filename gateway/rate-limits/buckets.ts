import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Points per window of one kind of key (an API key, a client address). */
export interface BucketSpec {
  name: string;
  points: number;
  windowMs: number;
}

/**
 * One budget of rate-limiter-flexible: in Redis when a client is given, so that every gateway replica
 * counts into the same windows, with an in-memory insurance limiter of the same size that answers while
 * Redis does not (each replica then counts on its own), so an outage of Redis refuses nothing by itself.
 */
export function bucket(spec: BucketSpec, redis: Redis | undefined): RateLimiterAbstract {
  const duration = Math.max(1, Math.ceil(spec.windowMs / 1000));
  const keyPrefix = `paygraph:rate:${spec.name}`;
  const memory = new RateLimiterMemory({ keyPrefix, points: spec.points, duration });
  if (!redis) return memory;
  return new RateLimiterRedis({ storeClient: redis, keyPrefix, points: spec.points, duration, rejectIfRedisNotReady: true, insuranceLimiter: memory });
}

/** Whole seconds until a refused key may try again (at least 1). */
export function secondsUntilNext(refusal: RateLimiterRes): number {
  return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
}

/** Consumes a point: the refusal (over the budget) or null; store errors the insurance could not absorb are thrown. */
export async function take(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (error) {
    if (error instanceof RateLimiterRes) return error;
    throw error;
  }
}

import type { Redis } from 'ioredis';
import { fail, type DomainError } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import type { RefusingLimit } from '../../lib/metrics/gateway.js';
import type { GatewayConfig } from '../config.js';
import { keySlots } from '../subscriptions/key-slots.js';
import { bucket, secondsUntilNext, take } from './buckets.js';

export type RateLimitSettings = GatewayConfig['rateLimits'];

const seconds = (ms: number) => `${Math.max(1, Math.round(ms / 1000))} s`;

/**
 * The gateway's request budgets, one API for HTTP and WebSocket alike. Per client address: requests
 * and connections per window, and failed authentications, after which the address is refused before
 * any key is looked up. Per API key: requests per window and requests in flight at once. The ADMIN
 * key (the operator's bootstrap key, held by the operator alone) is exempt from the per-key limits, so
 * that seeding, backfills and incident work are never throttled; its address is limited like any other.
 * Each check answers the RATE_LIMITED refusal to send, or null.
 */
export function createRateLimits(settings: RateLimitSettings, redis?: Redis, refused: (limit: RefusingLimit) => void = () => undefined) {
  const perAddress = bucket({ name: 'address', points: settings.perAddress, windowMs: settings.windowMs }, redis);
  const perKey = bucket({ name: 'key', points: settings.perKey, windowMs: settings.windowMs }, redis);
  const authFailures = bucket({ name: 'auth-failures', points: settings.authFailures, windowMs: settings.authFailureWindowMs }, redis);
  const inFlight = keySlots(settings.maxConcurrentPerKey);
  const window = seconds(settings.windowMs);

  /** the address's lockout after too many failed authentications, without counting anything */
  async function lockout(address: string): Promise<DomainError | null> {
    const failures = await authFailures.get(address);
    if (!failures || failures.consumedPoints < settings.authFailures) return null;
    refused('auth_failures');
    return fail.rateLimited(`Too many failed authentications from this address; retry after ${seconds(failures.msBeforeNext)}`, secondsUntilNext(failures));
  }

  return {
    lockout,
    /** before the key is checked: one of the address's requests, refused while the address is locked out */
    async admitAddress(address: string): Promise<DomainError | null> {
      const [over, locked] = await Promise.all([take(perAddress, address), lockout(address)]);
      if (locked) return locked;
      if (!over) return null;
      refused('per_address');
      return fail.rateLimited(`Too many requests from this address: at most ${settings.perAddress} per ${window}`, secondsUntilNext(over));
    },
    async authenticationFailed(address: string): Promise<void> {
      await authFailures.penalty(address);
    },
    /** after authentication: one of the key's requests */
    async admitKey(principal: Principal): Promise<DomainError | null> {
      if (principal.keyId === null) return null;
      const over = await take(perKey, principal.keyId);
      if (!over) return null;
      refused('per_key');
      return fail.rateLimited(`Too many requests with this API key: at most ${settings.perKey} per ${window}`, secondsUntilNext(over));
    },
    /** a place among the key's requests in flight: its release, or the refusal when all are taken */
    enter(principal: Principal): (() => void) | DomainError {
      if (principal.keyId === null) return () => undefined;
      const release = inFlight.take(principal.keyId);
      if (release) return release;
      refused('in_flight_per_key');
      return fail.rateLimited(`This API key already has ${settings.maxConcurrentPerKey} requests in progress; send the next when one has completed`, 1);
    },
  };
}
export type RateLimits = ReturnType<typeof createRateLimits>;

import { createHash, timingSafeEqual } from 'node:crypto';
import { hashApiKey, isWellFormedApiKey } from '../lib/api-key.js';
import { fail } from '../lib/errors.js';
import type { Principal } from '../lib/principal.js';

export type PrincipalLookup = (keyHash: string) => Promise<Principal | null>;

interface CacheEntry {
  principal: Principal | null;
  expiresAt: number;
}

const MAX_CACHED_KEYS = 10_000;
const NEGATIVE_TTL_MS = 5_000;

/**
 * Turns an Authorization header into a principal: the bootstrap admin key from configuration, or a
 * key issued by the payment subgraph, looked up by its hash and cached briefly so the hot path makes
 * no network call. A missing, malformed or unknown key is UNAUTHENTICATED.
 */
export function createAuthenticator(options: { adminApiKey: string; lookup: PrincipalLookup; cacheTtlMs: number }) {
  const adminDigest = createHash('sha256').update(options.adminApiKey).digest();
  const cache = new Map<string, CacheEntry>();
  // Requests that arrive together with an uncached key share one lookup instead of one each.
  const inFlight = new Map<string, Promise<Principal | null>>();

  async function lookUp(keyHash: string): Promise<Principal | null> {
    const principal = await options.lookup(keyHash);
    if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
    cache.set(keyHash, { principal, expiresAt: Date.now() + (principal ? options.cacheTtlMs : NEGATIVE_TTL_MS) });
    return principal;
  }

  function principalFor(keyHash: string): Promise<Principal | null> {
    const cached = cache.get(keyHash);
    if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached.principal);
    let pending = inFlight.get(keyHash);
    if (!pending) {
      pending = lookUp(keyHash).finally(() => inFlight.delete(keyHash));
      inFlight.set(keyHash, pending);
    }
    return pending;
  }

  return async function authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer ([^\s]+)$/.exec(authorization?.trim() ?? '');
    if (!match) throw fail.unauthenticated();
    const key = match[1]!;
    const digest = createHash('sha256').update(key).digest();
    if (timingSafeEqual(digest, adminDigest)) return { role: 'ADMIN', merchantId: null, keyId: null };
    if (!isWellFormedApiKey(key)) throw fail.unauthenticated('The API key is malformed');
    const principal = await principalFor(hashApiKey(key));
    if (!principal) throw fail.unauthenticated('The API key is not valid');
    return principal;
  };
}
export type Authenticate = ReturnType<typeof createAuthenticator>;

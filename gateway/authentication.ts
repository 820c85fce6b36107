import { createHash, timingSafeEqual } from 'node:crypto';
import { noteRequestKey } from '../lib/access-log.js';
import { hashApiKey, isWellFormedApiKey } from '../lib/api-key.js';
import { fail } from '../lib/errors.js';
import type { Principal } from '../lib/principal.js';

export type PrincipalLookup = (keyHash: string) => Promise<Principal | null>;

/** Entries kept until they expire, the oldest dropped first when full. */
class ExpiringCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }
}

const MAX_CACHED_KEYS = 10_000;
const MAX_CACHED_UNKNOWN_KEYS = 1_000;

export interface AuthenticatorOptions {
  adminApiKey: string;
  lookup: PrincipalLookup;
  cacheTtlMs: number;
  /** how long a key the payment subgraph does not know is answered from memory (one lookup per key per this long) */
  unknownKeyTtlMs?: number;
}

/**
 * Turns an Authorization header into a principal: the bootstrap admin key from configuration, or a
 * key issued by the payment subgraph, looked up by its hash and cached briefly so the hot path makes
 * no network call. A missing, malformed or unknown key is UNAUTHENTICATED. Unknown keys are remembered
 * apart from known ones, in a smaller cache: a stream of made-up keys never pushes a merchant's key out.
 */
export function createAuthenticator(options: AuthenticatorOptions) {
  const adminDigest = createHash('sha256').update(options.adminApiKey).digest();
  const known = new ExpiringCache<Principal>(MAX_CACHED_KEYS, options.cacheTtlMs);
  const unknown = new ExpiringCache<true>(MAX_CACHED_UNKNOWN_KEYS, options.unknownKeyTtlMs ?? 5_000);
  // Requests that arrive together with an uncached key share one lookup instead of one each.
  const inFlight = new Map<string, Promise<Principal | null>>();

  async function lookUp(keyHash: string): Promise<Principal | null> {
    const principal = await options.lookup(keyHash);
    if (principal) known.set(keyHash, principal);
    else unknown.set(keyHash, true);
    return principal;
  }

  function principalFor(keyHash: string): Promise<Principal | null> {
    const cached = known.get(keyHash) ?? (unknown.get(keyHash) ? null : undefined);
    if (cached !== undefined) return Promise.resolve(cached);
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
    if (timingSafeEqual(digest, adminDigest)) {
      noteRequestKey(null);
      return { role: 'ADMIN', merchantId: null, keyId: null };
    }
    if (!isWellFormedApiKey(key)) throw fail.unauthenticated('The API key is malformed');
    const principal = await principalFor(hashApiKey(key));
    if (!principal) throw fail.unauthenticated('The API key is not valid');
    noteRequestKey(principal.keyId);
    return principal;
  };
}
export type Authenticate = ReturnType<typeof createAuthenticator>;

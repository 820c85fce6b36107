import { createHash, timingSafeEqual } from 'node:crypto';
import { noteRequestKey } from '../lib/access-log.js';
import { hashApiKey, isWellFormedApiKey } from '../lib/api-key.js';
import { fail } from '../lib/errors.js';
import type { Principal } from '../lib/principal.js';

/** A working key as the payment subgraph answers it: who it is, and until when it works (epoch ms; null: no expiry). */
export interface LookedUpKey {
  principal: Principal;
  expiresAt: number | null;
}

export type PrincipalLookup = (keyHash: string) => Promise<LookedUpKey | null>;

/** Entries kept until they expire, the oldest dropped first when full. */
class ExpiringCache<T> {
  readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** kept for the TTL, or until `until` when that is sooner */
  set(key: string, value: T, until = Number.POSITIVE_INFINITY): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: Math.min(this.now() + this.ttlMs, until) });
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
  /** epoch ms; a key's expiry is read on this clock (the payment subgraph's, in tests); default Date.now */
  now?: () => number;
}

/**
 * Turns an Authorization header into a principal: the bootstrap admin key from configuration, or a
 * key issued by the payment subgraph, looked up by its hash and cached briefly so the hot path makes
 * no network call. A missing, malformed or unknown key is UNAUTHENTICATED. Unknown keys are remembered
 * apart from known ones, in a smaller cache: a stream of made-up keys never pushes a merchant's key out.
 * A cached key is never trusted past its expiry, and `forgetKey` drops one at once (the gateway calls it
 * for every api_key event on the backbone: gateway/key-events.ts).
 */
export function createAuthenticator(options: AuthenticatorOptions) {
  const now = options.now ?? Date.now;
  const adminDigest = createHash('sha256').update(options.adminApiKey).digest();
  const known = new ExpiringCache<Principal>(MAX_CACHED_KEYS, options.cacheTtlMs, now);
  const unknown = new ExpiringCache<true>(MAX_CACHED_UNKNOWN_KEYS, options.unknownKeyTtlMs ?? 5_000, now);
  // Requests that arrive together with an uncached key share one lookup instead of one each.
  const inFlight = new Map<string, Promise<Principal | null>>();
  // A lookup answered before a key changed may come back after it: what it says is then not cached.
  let changes = 0;

  async function lookUp(keyHash: string): Promise<Principal | null> {
    const changesBefore = changes;
    const found = await options.lookup(keyHash);
    if (found && found.expiresAt !== null && found.expiresAt <= now()) return null;
    if (changes !== changesBefore) return found?.principal ?? null;
    if (found) known.set(keyHash, found.principal, found.expiresAt ?? undefined);
    else unknown.set(keyHash, true);
    return found?.principal ?? null;
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

  async function authenticate(authorization: string | undefined): Promise<Principal> {
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
  }

  /** Drops the key from the cache (revoked, or its expiry changed): its next use is looked up again. */
  function forgetKey(keyId: string): void {
    changes += 1;
    // a rare event, and at most MAX_CACHED_KEYS entries: a scan is cheaper than an index kept on every lookup
    for (const [keyHash, entry] of known.entries) if (entry.value.keyId === keyId) known.entries.delete(keyHash);
  }

  return Object.assign(authenticate, { forgetKey });
}
export type Authenticate = ReturnType<typeof createAuthenticator>;

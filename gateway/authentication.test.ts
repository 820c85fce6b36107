import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey } from '../lib/api-key.js';
import type { Principal } from '../lib/principal.js';
import { createAuthenticator } from './authentication.js';

const merchant: Principal = { role: 'MERCHANT', merchantId: 'mer_1', keyId: 'key_1' };

function counting(answer: (keyHash: string) => Promise<Principal | null>, options: { expiresAt?: number; now?: () => number } = {}) {
  const calls: string[] = [];
  const authenticate = createAuthenticator({
    adminApiKey: 'pgk_admin_not_this_one_0123456789abcdef',
    cacheTtlMs: 60_000,
    unknownKeyTtlMs: 60_000,
    now: options.now,
    lookup: (keyHash) => {
      calls.push(keyHash);
      return answer(keyHash).then((principal) => principal && { principal, expiresAt: options.expiresAt ?? null });
    },
  });
  return { authenticate, calls };
}

describe('authenticator', () => {
  it('shares one lookup among requests that arrive together with an uncached key', async () => {
    let release!: (principal: Principal) => void;
    const { authenticate, calls } = counting(() => new Promise((resolve) => (release = resolve)));
    const key = generateApiKey();
    const pending = Array.from({ length: 50 }, () => authenticate(`Bearer ${key}`));
    release(merchant);
    await expect(Promise.all(pending)).resolves.toEqual(Array.from({ length: 50 }, () => merchant));
    expect(calls).toHaveLength(1);
    await authenticate(`Bearer ${key}`);
    expect(calls).toHaveLength(1);
  });

  it('asks again after a failed lookup instead of keeping its failure', async () => {
    let fail = true;
    const { authenticate, calls } = counting(async () => {
      if (fail) throw new Error('payment subgraph unreachable');
      return merchant;
    });
    const key = generateApiKey();
    await expect(Promise.all([authenticate(`Bearer ${key}`), authenticate(`Bearer ${key}`)])).rejects.toThrow('unreachable');
    fail = false;
    await expect(authenticate(`Bearer ${key}`)).resolves.toEqual(merchant);
    expect(calls).toHaveLength(2);
  });

  it('looks an unknown key up once, however often it is tried', async () => {
    const { authenticate, calls } = counting(async () => null);
    const key = generateApiKey();
    for (let attempt = 0; attempt < 20; attempt++) await expect(authenticate(`Bearer ${key}`)).rejects.toThrow('not valid');
    expect(calls).toHaveLength(1);
  });

  it('keeps a known key cached while thousands of made-up keys are tried (they cannot evict it)', async () => {
    const good = generateApiKey();
    const goodHash = hashApiKey(good);
    const { authenticate, calls } = counting(async (keyHash) => (keyHash === goodHash ? merchant : null));
    await authenticate(`Bearer ${good}`);
    for (let attempt = 0; attempt < 12_000; attempt++) await authenticate(`Bearer ${generateApiKey()}`).catch(() => undefined);
    await expect(authenticate(`Bearer ${good}`)).resolves.toEqual(merchant);
    expect(calls.filter((keyHash) => keyHash === goodHash)).toHaveLength(1);
  });

  it('never trusts a cached key past its expiry, and asks again then', async () => {
    let now = 1_000_000;
    const { authenticate, calls } = counting(async () => merchant, { expiresAt: now + 5_000, now: () => now });
    const key = generateApiKey();
    await expect(authenticate(`Bearer ${key}`)).resolves.toEqual(merchant);
    now += 4_999;
    await expect(authenticate(`Bearer ${key}`)).resolves.toEqual(merchant);
    expect(calls).toHaveLength(1);
    now += 1;
    // the lookup still answers an expiry that has passed (a clock ahead of the payment subgraph's): refused all the same
    await expect(authenticate(`Bearer ${key}`)).rejects.toThrow('not valid');
    expect(calls).toHaveLength(2);
  });

  it('forgets a key at once: its next use is looked up again', async () => {
    let principal: Principal | null = merchant;
    const { authenticate, calls } = counting(async () => principal);
    const key = generateApiKey();
    await authenticate(`Bearer ${key}`);
    principal = null;
    await expect(authenticate(`Bearer ${key}`)).resolves.toEqual(merchant);
    authenticate.forgetKey('key_other');
    await expect(authenticate(`Bearer ${key}`)).resolves.toEqual(merchant);
    authenticate.forgetKey(merchant.keyId!);
    await expect(authenticate(`Bearer ${key}`)).rejects.toThrow('not valid');
    expect(calls).toHaveLength(2);
  });

  it('does not cache an answer that was in flight when a key changed (it may predate the change)', async () => {
    let release!: (principal: Principal) => void;
    const { authenticate, calls } = counting(() => new Promise((resolve) => (release = resolve)));
    const key = generateApiKey();
    const pending = authenticate(`Bearer ${key}`);
    authenticate.forgetKey(merchant.keyId!);
    release(merchant);
    await pending;
    const next = authenticate(`Bearer ${key}`);
    release(merchant);
    await next;
    expect(calls).toHaveLength(2);
  });
});

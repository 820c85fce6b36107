import { describe, expect, it } from 'vitest';
import type { Principal } from '../../lib/principal.js';
import { createRateLimits, type RateLimitSettings } from './rate-limits.js';

const settings: RateLimitSettings = {
  windowMs: 60_000,
  perKey: 2,
  perAddress: 3,
  maxConcurrentPerKey: 1,
  authFailures: 2,
  authFailureWindowMs: 60_000,
  maxWebSocketsPerAddress: 1,
  maxWebSocketsPerKey: 1,
  trustProxy: false,
};
const merchant: Principal = { role: 'MERCHANT', merchantId: 'mer_1', keyId: 'key_1' };
const admin: Principal = { role: 'ADMIN', merchantId: null, keyId: null };

describe('rate limits (in memory)', () => {
  it('refuses a key over its budget with the seconds until its window ends; the ADMIN key has none', async () => {
    const limits = createRateLimits(settings);
    expect(await limits.admitKey(merchant)).toBeNull();
    expect(await limits.admitKey(merchant)).toBeNull();
    const refused = await limits.admitKey(merchant);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfter: 60 } });
    for (let i = 0; i < 10; i++) expect(await limits.admitKey(admin)).toBeNull();
  });

  it('locks an address out after its failed authentications, before anything else is counted', async () => {
    const limits = createRateLimits(settings);
    await limits.authenticationFailed('198.51.100.1');
    expect(await limits.lockout('198.51.100.1')).toBeNull();
    await limits.authenticationFailed('198.51.100.1');
    expect(await limits.lockout('198.51.100.1')).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/failed authentications/) });
    expect(await limits.admitAddress('198.51.100.1')).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await limits.admitAddress('198.51.100.2')).toBeNull();
  });

  it('holds one place per key in flight until it is released', () => {
    const limits = createRateLimits(settings);
    const release = limits.enter(merchant);
    expect(typeof release).toBe('function');
    expect(limits.enter(merchant)).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfter: 1 } });
    expect(typeof limits.enter(admin)).toBe('function');
    (release as () => void)();
    expect(typeof limits.enter(merchant)).toBe('function');
  });
});

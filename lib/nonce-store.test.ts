import { describe, expect, it } from 'vitest';
import { createMemoryNonceStore } from './nonce-store.js';

describe('createMemoryNonceStore', () => {
  it('refuses a key claimed again before it expires, and accepts it after', async () => {
    let now = 1_000;
    const store = createMemoryNonceStore({ now: () => now });
    expect(await store.claim('payment:a', 100)).toBe(true);
    expect(await store.claim('payment:a', 100)).toBe(false);
    expect(await store.claim('accounting:a', 100)).toBe(true);
    now += 99;
    expect(await store.claim('payment:a', 100)).toBe(false);
    now += 1;
    expect(await store.claim('payment:a', 100)).toBe(true);
  });

  it('stays bounded: past its limit the oldest keys go first', async () => {
    const store = createMemoryNonceStore({ maxEntries: 3, now: () => 0 });
    for (const key of ['a', 'b', 'c', 'd']) expect(await store.claim(key, 1_000)).toBe(true);
    expect(await store.claim('a', 1_000)).toBe(true);
    expect(await store.claim('d', 1_000)).toBe(false);
  });
});

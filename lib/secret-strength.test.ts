import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateApiKey } from './api-key.js';
import { estimatedEntropyBits, MIN_SECRET_ENTROPY_BITS } from './secret-strength.js';

describe('estimatedEntropyBits', () => {
  it.each([
    ['32 identical characters', 'x'.repeat(32)],
    ['a short pattern repeated', 'ab'.repeat(16)],
    ['a word repeated', 'secret'.repeat(6)],
    ['16 characters twice', 'abcdefghijklmnop'.repeat(2)],
    ['a run of the alphabet', 'abcdefghijklmnopqrstuvwxyz012345'],
    ['the hex digits twice', '0123456789abcdef'.repeat(2)],
    ['one character changed', `${'x'.repeat(31)}y`],
    ['two halves', `${'a'.repeat(16)}${'b'.repeat(16)}`],
    ['a word and digits', 'passwordpasswordpassword12345678'],
  ])('refuses %s', (_name, secret) => {
    expect(estimatedEntropyBits(secret)).toBeLessThan(MIN_SECRET_ENTROPY_BITS);
  });

  // the lowest of 100,000 draws measured: API keys 203 bits, hex 216, base64url 180
  it.each([
    ['generateApiKey', generateApiKey],
    ['openssl rand -hex 32', () => randomBytes(32).toString('hex')],
    ['openssl rand -base64 32', () => randomBytes(32).toString('base64')],
    ['32 random bytes in base64url', () => randomBytes(32).toString('base64url')],
  ])('passes every secret made by %s, with a margin', (_name, make) => {
    for (let i = 0; i < 2_000; i++) expect(estimatedEntropyBits(make())).toBeGreaterThan(MIN_SECRET_ENTROPY_BITS + 32);
  });
});

import { describe, expect, it } from 'vitest';
import { SIGNATURE_TOLERANCE_MS, signRequest, verifyRequest } from './internal-signature.js';

const secret = 'internal-secret-of-at-least-32-characters';
const principal = 'WyJNRVJDSEFOVCIsIm1lcl8xIixudWxsXQ';
const body = '{"query":"{ viewer { role } }"}';
const now = 1_790_000_000_000;

describe('verifyRequest', () => {
  it('accepts what signRequest signed, as a string or as bytes', () => {
    const signature = signRequest(secret, principal, body, now);
    expect(signature).toMatch(/^t=1790000000000,v1=[0-9a-f]{64}$/);
    expect(verifyRequest(secret, principal, signature, body, now)).toBe('ok');
    expect(verifyRequest(secret, principal, signature, Buffer.from(body), now)).toBe('ok');
  });

  it('is missing without a signature or without a principal', () => {
    const signature = signRequest(secret, principal, body, now);
    expect(verifyRequest(secret, principal, undefined, body, now)).toBe('missing');
    expect(verifyRequest(secret, principal, '', body, now)).toBe('missing');
    expect(verifyRequest(secret, undefined, signature, body, now)).toBe('missing');
  });

  it.each([
    ['no parts', 'garbage'],
    ['no timestamp', `v1=${'a'.repeat(64)}`],
    ['a short MAC', `t=${now},v1=${'a'.repeat(63)}`],
    ['an upper-case MAC', `t=${now},v1=${'A'.repeat(64)}`],
    ['a non-numeric time', `t=soon,v1=${'a'.repeat(64)}`],
    ['extra text', `t=${now},v1=${'a'.repeat(64)},v0=x`],
  ])('is malformed with %s', (_name, signature) => {
    expect(verifyRequest(secret, principal, signature, body, now)).toBe('malformed');
  });

  it('is stale beyond the tolerance, in the past and in the future, and ok at its edge', () => {
    const tolerance = SIGNATURE_TOLERANCE_MS;
    expect(verifyRequest(secret, principal, signRequest(secret, principal, body, now - tolerance - 1), body, now)).toBe('stale');
    expect(verifyRequest(secret, principal, signRequest(secret, principal, body, now + tolerance + 1), body, now)).toBe('stale');
    expect(verifyRequest(secret, principal, signRequest(secret, principal, body, now - tolerance), body, now)).toBe('ok');
    expect(verifyRequest(secret, principal, signRequest(secret, principal, body, now + tolerance), body, now)).toBe('ok');
  });

  it('is a mismatch when the body, the principal, the time or the secret differ', () => {
    const signature = signRequest(secret, principal, body, now);
    expect(verifyRequest(secret, principal, signature, body.replace('viewer', 'payments'), now)).toBe('mismatch');
    expect(verifyRequest(secret, principal, signature, `${body} `, now)).toBe('mismatch');
    expect(verifyRequest(secret, 'WyJBRE1JTiIsbnVsbCxudWxsXQ', signature, body, now)).toBe('mismatch');
    expect(verifyRequest(secret, principal, signature.replace(`t=${now}`, `t=${now + 1}`), body, now)).toBe('mismatch');
    expect(verifyRequest(`${secret}x`, principal, signature, body, now)).toBe('mismatch');
  });

  it('does not let the principal and body boundary shift', () => {
    // "a.b" + body "c" and "a" + body "b.c" must not sign the same text
    const signature = signRequest(secret, 'a.b', 'c', now);
    expect(verifyRequest(secret, 'a', signature, 'b.c', now)).toBe('mismatch');
  });
});

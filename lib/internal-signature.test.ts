import { describe, expect, it } from 'vitest';
import { acceptSignedRequest, SIGNATURE_TOLERANCE_MS, signRequest, verifySignature, type SignedRequest } from './internal-signature.js';
import { createMemoryNonceStore } from './nonce-store.js';

const secret = 'internal-secret-of-at-least-32-characters';
const principal = 'WyJNRVJDSEFOVCIsIm1lcl8xIixudWxsXQ';
const body = '{"query":"{ viewer { role } }"}';
const now = 1_790_000_000_000;
const nonce = 'AAECAwQFBgcICQoLDA0ODw';
const request: SignedRequest = { method: 'POST', service: 'payment', path: '/graphql', principal, body };

const check = (signature: string | undefined, changes: Partial<Omit<SignedRequest, 'principal'>> & { principal?: string | undefined } = {}, at = now) => {
  const result = verifySignature(secret, { ...request, ...changes }, signature, at);
  return result.ok ? 'ok' : result.reason;
};

describe('verifySignature', () => {
  it('accepts what signRequest signed, as a string or as bytes, and reads its nonce', () => {
    const signature = signRequest(secret, request, now, nonce);
    expect(signature).toMatch(/^t=1790000000000,n=AAECAwQFBgcICQoLDA0ODw,v2=[0-9a-f]{64}$/);
    expect(verifySignature(secret, request, signature, now)).toEqual({ ok: true, nonce, timestamp: now });
    expect(check(signature, { body: Buffer.from(body) })).toBe('ok');
  });

  it('signs with a new 16-byte nonce each time', () => {
    const nonces = new Set(Array.from({ length: 600 }, () => /n=([^,]+)/.exec(signRequest(secret, request, now))![1]));
    expect(nonces.size).toBe(600);
    for (const n of nonces) expect(Buffer.from(n!, 'base64url')).toHaveLength(16);
  });

  it('is missing without a signature or without a principal', () => {
    const signature = signRequest(secret, request, now);
    expect(check(undefined)).toBe('missing');
    expect(check('')).toBe('missing');
    expect(check(signature, { principal: undefined })).toBe('missing');
  });

  it.each([
    ['no parts', 'garbage'],
    ['the old v1 form', `t=${now},v1=${'a'.repeat(64)}`],
    ['no nonce', `t=${now},v2=${'a'.repeat(64)}`],
    ['a short nonce', `t=${now},n=${'A'.repeat(21)},v2=${'a'.repeat(64)}`],
    ['a nonce outside base64url', `t=${now},n=${'A'.repeat(21)}+,v2=${'a'.repeat(64)}`],
    ['no timestamp', `n=${nonce},v2=${'a'.repeat(64)}`],
    ['a short MAC', `t=${now},n=${nonce},v2=${'a'.repeat(63)}`],
    ['an upper-case MAC', `t=${now},n=${nonce},v2=${'A'.repeat(64)}`],
    ['a non-numeric time', `t=soon,n=${nonce},v2=${'a'.repeat(64)}`],
    ['extra text', `t=${now},n=${nonce},v2=${'a'.repeat(64)},v1=x`],
  ])('is malformed with %s', (_name, signature) => {
    expect(check(signature)).toBe('malformed');
  });

  it('is stale beyond the tolerance, in the past and in the future, and ok at its edge', () => {
    const tolerance = SIGNATURE_TOLERANCE_MS;
    expect(check(signRequest(secret, request, now - tolerance - 1))).toBe('stale');
    expect(check(signRequest(secret, request, now + tolerance + 1))).toBe('stale');
    expect(check(signRequest(secret, request, now - tolerance))).toBe('ok');
    expect(check(signRequest(secret, request, now + tolerance))).toBe('ok');
  });

  it.each<[string, Partial<SignedRequest>]>([
    ['the body', { body: body.replace('viewer', 'payments') }],
    ['the body by a space', { body: `${body} ` }],
    ['the principal', { principal: 'WyJBRE1JTiIsbnVsbCxudWxsXQ' }],
    ['the target service', { service: 'accounting' }],
    ['the path', { path: '/internal/principal' }],
    ['the query string', { path: '/graphql?x=1' }],
    ['the method', { method: 'GET' }],
  ])('is a mismatch when %s differs', (_name, changes) => {
    expect(check(signRequest(secret, request, now, nonce), changes)).toBe('mismatch');
  });

  it('is a mismatch when the time, the nonce or the secret differ', () => {
    const signature = signRequest(secret, request, now, nonce);
    expect(check(signature.replace(`t=${now}`, `t=${now + 1}`))).toBe('mismatch');
    expect(check(signature.replace(nonce, `B${nonce.slice(1)}`))).toBe('mismatch');
    expect(verifySignature(`${secret}x`, request, signature, now).ok).toBe(false);
  });

  it('does not let the boundaries between the parts shift', () => {
    // a separator inside one part must not make another split of the same text
    const signature = signRequest(secret, { ...request, path: '/a.b', principal: 'c' }, now, nonce);
    expect(check(signature, { path: '/a', principal: 'b.c' })).toBe('mismatch');
  });
});

describe('acceptSignedRequest', () => {
  const verifier = (service = 'payment') => ({ secret, service, nonces: createMemoryNonceStore({ now: () => clock }) });
  let clock = now;
  const signed = (signature: string) => ({ ...request, signature });

  it('accepts a nonce once within the window and refuses it again as replayed', async () => {
    clock = now;
    const payment = verifier();
    const signature = signRequest(secret, request, now);
    expect(await acceptSignedRequest(payment, signed(signature), now)).toBe('ok');
    expect(await acceptSignedRequest(payment, signed(signature), now + 1)).toBe('replayed');
    expect(await acceptSignedRequest(payment, signed(signature), now + SIGNATURE_TOLERANCE_MS)).toBe('replayed');
    expect(await acceptSignedRequest(payment, signed(signature), now + SIGNATURE_TOLERANCE_MS + 1)).toBe('stale');
    expect(await acceptSignedRequest(payment, signed(signRequest(secret, request, now)), now)).toBe('ok');
  });

  it('verifies with its own service name: a request signed for another service is a mismatch', async () => {
    const signature = signRequest(secret, request, now);
    expect(await acceptSignedRequest(verifier('accounting'), signed(signature), now)).toBe('mismatch');
  });

  it('keeps no nonce of a refused signature: a forger cannot spend the real one', async () => {
    const payment = verifier();
    const signature = signRequest(secret, request, now, nonce);
    expect(await acceptSignedRequest(payment, { ...signed(signature), body: 'forged' }, now)).toBe('mismatch');
    expect(await acceptSignedRequest(payment, signed(signature), now)).toBe('ok');
  });
});

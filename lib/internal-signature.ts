import { createHash, createHmac, randomFillSync, timingSafeEqual } from 'node:crypto';
import type { NonceStore } from './nonce-store.js';

/**
 * Signing of the requests between our own services (gateway to subgraph, service to service). The
 * caller sends the principal it authenticated in PRINCIPAL_HEADER and `t=<unix ms>,n=<nonce>,v2=<hex
 * HMAC-SHA256>` in SIGNATURE_HEADER, the HMAC taken with INTERNAL_SECRET over the timestamp, the
 * nonce, the method, the target service's name, the request target (path and query) as the server
 * sees it, the principal and sha256(body). A service accepts a request only when the signature
 * matches its own name and the request it got, t is within the tolerance, and the nonce was not seen
 * within the window: a captured request cannot be sent to another service, path or method, with
 * another body or principal, later, or again.
 */
export const PRINCIPAL_HEADER = 'x-paygraph-principal';
export const SIGNATURE_HEADER = 'x-paygraph-signature';
export const SIGNATURE_TOLERANCE_MS = 30_000;

/** What a signature binds, besides its time and nonce. */
export interface SignedRequest {
  method: string;
  /** the name of the service that serves the request (payment, accounting, transaction, analytics) */
  service: string;
  /** the request target: path and query string, e.g. `/graphql` */
  path: string;
  principal: string;
  body: string | Buffer;
}

/** Why a request's signature is refused. */
export type SignatureRefusal = 'missing' | 'malformed' | 'stale' | 'mismatch' | 'replayed';

export type SignatureCheck = { ok: true; nonce: string; timestamp: number } | { ok: false; reason: Exclude<SignatureRefusal, 'replayed'> };

const NONCE_BYTES = 16;
const SIGNATURE_FORMAT = /^t=(\d{1,16}),n=([A-Za-z0-9_-]{22}),v2=([0-9a-f]{64})$/;

// Nonces are cut from a buffer refilled every 256 requests: one randomFillSync call per request would cost more than the HMAC.
const noncePool = Buffer.allocUnsafe(NONCE_BYTES * 256);
let nonceOffset = noncePool.length;

/** 16 random bytes, base64url. */
export function newNonce(): string {
  if (nonceOffset === noncePool.length) {
    randomFillSync(noncePool);
    nonceOffset = 0;
  }
  const nonce = noncePool.toString('base64url', nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  return nonce;
}

// Lines: no part can hold a line feed (an HTTP method, a service name, a request target, a header value, hex).
function mac(secret: string, timestamp: number, nonce: string, request: SignedRequest): string {
  const digest = createHash('sha256').update(request.body).digest('hex');
  const signed = `${timestamp}\n${nonce}\n${request.method.toUpperCase()}\n${request.service}\n${request.path}\n${request.principal}\n${digest}`;
  return createHmac('sha256', secret).update(signed).digest('hex');
}

export function signRequest(secret: string, request: SignedRequest, now = Date.now(), nonce = newNonce()): string {
  return `t=${now},n=${nonce},v2=${mac(secret, now, nonce, request)}`;
}

/** The signature's MAC and time; whether its nonce is new is the NonceStore's (acceptSignedRequest does both). */
export function verifySignature(
  secret: string,
  request: Omit<SignedRequest, 'principal'> & { principal: string | undefined },
  signature: string | undefined,
  now = Date.now(),
  toleranceMs = SIGNATURE_TOLERANCE_MS,
): SignatureCheck {
  const { principal } = request;
  if (!signature || principal === undefined) return { ok: false, reason: 'missing' };
  const match = SIGNATURE_FORMAT.exec(signature);
  if (!match) return { ok: false, reason: 'malformed' };
  const timestamp = Number(match[1]);
  if (Math.abs(now - timestamp) > toleranceMs) return { ok: false, reason: 'stale' };
  const nonce = match[2]!;
  const expected = Buffer.from(mac(secret, timestamp, nonce, { ...request, principal }), 'hex');
  const given = Buffer.from(match[3]!, 'hex');
  return timingSafeEqual(expected, given) ? { ok: true, nonce, timestamp } : { ok: false, reason: 'mismatch' };
}

/** How a service checks the requests signed for it. */
export interface SignatureVerifier {
  secret: string;
  /** this service's name: only requests signed for it are accepted */
  service: string;
  nonces: NonceStore;
  toleranceMs?: number;
}

/**
 * 'ok' when the request is signed for this service and its nonce was not seen before; the nonce is
 * then kept until the signature is stale anyway. Only a matching signature reaches the store, so a
 * forger cannot fill it.
 */
export async function acceptSignedRequest(
  verifier: SignatureVerifier,
  request: Omit<SignedRequest, 'principal' | 'service'> & { principal: string | undefined; signature: string | undefined },
  now = Date.now(),
): Promise<'ok' | SignatureRefusal> {
  const toleranceMs = verifier.toleranceMs ?? SIGNATURE_TOLERANCE_MS;
  const check = verifySignature(verifier.secret, { ...request, service: verifier.service }, request.signature, now, toleranceMs);
  if (!check.ok) return check.reason;
  const firstSeen = await verifier.nonces.claim(`${verifier.service}:${check.nonce}`, Math.max(1, check.timestamp + toleranceMs - now + 1));
  return firstSeen ? 'ok' : 'replayed';
}

/** The principal of requests the gateway makes on its own behalf (key lookups, replays). */
export const SYSTEM_PRINCIPAL = 'system';

/** The principal and signature headers of a signed request. */
export function signedHeaders(secret: string, request: SignedRequest): Record<string, string> {
  return { [PRINCIPAL_HEADER]: request.principal, [SIGNATURE_HEADER]: signRequest(secret, request) };
}

/** The headers of a signed JSON request. */
export function signedJsonHeaders(secret: string, request: SignedRequest): Record<string, string> {
  return { 'content-type': 'application/json', ...signedHeaders(secret, request) };
}

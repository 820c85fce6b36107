import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Gateway-to-subgraph request signing. The gateway sends the principal it authenticated in
 * PRINCIPAL_HEADER and `t=<unix ms>,v1=<hex HMAC-SHA256>` in SIGNATURE_HEADER, the HMAC taken with
 * INTERNAL_SECRET over `t.principal.sha256(body)`. A subgraph accepts a request only when the
 * signature matches and t is within the tolerance, so a direct call cannot claim a principal
 * and a captured request cannot be replayed later or with another body.
 */
export const PRINCIPAL_HEADER = 'x-paygraph-principal';
export const SIGNATURE_HEADER = 'x-paygraph-signature';
export const SIGNATURE_TOLERANCE_MS = 30_000;

function digest(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

function mac(secret: string, timestamp: number, principal: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.${principal}.${digest(body)}`).digest('hex');
}

export function signRequest(secret: string, principal: string, body: string | Buffer, now = Date.now()): string {
  return `t=${now},v1=${mac(secret, now, principal, body)}`;
}

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'stale' | 'mismatch';

export function verifyRequest(
  secret: string,
  principal: string | undefined,
  signature: string | undefined,
  body: string | Buffer,
  now = Date.now(),
  toleranceMs = SIGNATURE_TOLERANCE_MS,
): SignatureCheck {
  if (!signature || principal === undefined) return 'missing';
  const match = /^t=(\d{1,16}),v1=([0-9a-f]{64})$/.exec(signature);
  if (!match) return 'malformed';
  const timestamp = Number(match[1]);
  if (Math.abs(now - timestamp) > toleranceMs) return 'stale';
  const expected = Buffer.from(mac(secret, timestamp, principal, body), 'hex');
  const given = Buffer.from(match[2]!, 'hex');
  return timingSafeEqual(expected, given) ? 'ok' : 'mismatch';
}

/** The principal of requests the gateway makes on its own behalf (key lookups, replays). */
export const SYSTEM_PRINCIPAL = 'system';

/** The headers of a signed JSON request from `principal` (encoded) with this body. */
export function signedJsonHeaders(secret: string, principal: string, body: string): Record<string, string> {
  return { 'content-type': 'application/json', [PRINCIPAL_HEADER]: principal, [SIGNATURE_HEADER]: signRequest(secret, principal, body) };
}

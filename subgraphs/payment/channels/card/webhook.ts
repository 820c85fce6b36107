import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { cardAuthorizationSchema, type CardAuthorization } from './client.js';

export interface CardWebhookEvent {
  id: string;
  type: 'authorization.updated';
  /** unix seconds */
  created: number;
  data: CardAuthorization;
}

export type CardWebhookVerification = { ok: true; event: CardWebhookEvent } | { ok: false; reason: string };

const eventSchema = z.object({
  id: z.string(),
  type: z.literal('authorization.updated'),
  created: z.int(),
  data: cardAuthorizationSchema,
});

/** `t=<unix seconds>,v1=<hex>`; several v1 entries are allowed, as while the provider rolls its secret. */
function parseSignatureHeader(header: string): { timestamp: number; signatures: Buffer[] } | undefined {
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

/**
 * Checks a card provider webhook against its Card-Signature header (HMAC-SHA256 of "<t>.<raw body>"), and only
 * then reads the body. `rawBody` must be the bytes as received: re-serialised JSON would not match.
 */
export function verifyCardWebhook(
  secret: string,
  rawBody: Buffer | string,
  signatureHeader: string | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): CardWebhookVerification {
  if (signatureHeader === undefined || signatureHeader === '') return { ok: false, reason: 'missing signature header' };
  const parsed = parseSignatureHeader(signatureHeader);
  if (parsed === undefined) return { ok: false, reason: 'malformed signature header' };
  // a replayed event is refused once it is older than the tolerance, as is one dated in the future
  if (Math.abs(nowSeconds - parsed.timestamp) > toleranceSeconds) return { ok: false, reason: 'stale timestamp' };

  const expected = createHmac('sha256', secret).update(`${parsed.timestamp}.`).update(rawBody).digest();
  if (!parsed.signatures.some((signature) => timingSafeEqual(signature, expected))) {
    return { ok: false, reason: 'signature mismatch' };
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const event = eventSchema.safeParse(json);
  return event.success ? { ok: true, event: event.data } : { ok: false, reason: 'unexpected event shape' };
}

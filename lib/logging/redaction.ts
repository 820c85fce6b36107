import { describeError } from '../error-description.js';

export const REDACTED = '[redacted]';

/**
 * Keys whose value is never logged, however deep: credentials and signatures (the Authorization header,
 * API keys, INTERNAL_SECRET, webhook and provider secrets, private keys) and a card's fields. Matched on
 * the key lower-cased without `-` and `_`, so `INTERNAL_SECRET`, `internalSecret` and `x-internal-secret` alike.
 */
const secretKey = /authorization|cookie|secret|password|passphrase|token|apikey|apiv3key|privatekey|signature|credential|^key$|cvc|cvv|cardnumber|^pan$|expiry|expmonth|expyear|expiration/;
/** Under a key naming a card, its `number` too. */
const cardKey = /card/;

/** In any text logged: a bearer token and anything shaped as one of our API keys (a message may quote a header). */
const secretText = /(Bearer\s+)\S+|pgk_[A-Za-z0-9_-]{8,}/gi;

const decisions = new Map<string, boolean>();

function normalized(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

function isSecretKey(key: string, inCard: boolean): boolean {
  if (inCard && key === 'number') return true;
  let secret = decisions.get(key);
  if (secret === undefined) {
    secret = secretKey.test(normalized(key));
    if (decisions.size < 10_000) decisions.set(key, secret);
  }
  return secret;
}

export function scrubbedText(text: string): string {
  return text.replace(secretText, (match, bearer: string | undefined) => (bearer ? `${bearer}${REDACTED}` : REDACTED));
}

const MAX_DEPTH = 8;

/**
 * A value as it may be logged: secret keys' values replaced, secrets cut out of text, errors described
 * as lib/error-description.ts does (a database error without its message, which may quote a card's
 * number). Objects are copied, never changed.
 */
export function redacted(value: unknown, inCard = false, depth = 0): unknown {
  if (typeof value === 'string') return scrubbedText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Error) return scrubbedText(describeError(value));
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redacted(item, inCard, depth + 1));
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSecretKey(key, inCard) ? REDACTED : redacted(item, inCard || cardKey.test(key.toLowerCase()), depth + 1);
  }
  return copy;
}

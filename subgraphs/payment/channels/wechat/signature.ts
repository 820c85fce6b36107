import type { KeyObject } from 'node:crypto';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';

/** The only scheme API v3 signs with: SHA256withRSA under 2048-bit keys. */
export const SIGNATURE_TYPE = 'WECHATPAY2-SHA256-RSA2048';
/** Signed messages more than this far from our clock are refused (replays, stale deliveries). */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;

export interface MerchantSigner {
  mchid: string;
  /** serial number of the merchant API certificate whose private key signs */
  serial: string;
  privateKey: KeyObject | string;
}

export interface PlatformVerifier {
  /** Wechatpay-Serial the platform signs under (a certificate serial or a PUB_KEY_ID_…) */
  serial: string;
  publicKey: KeyObject | string;
}

function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * The Authorization header of a request: SHA256withRSA over `METHOD\nURL\ntimestamp\nnonce\nbody\n`, where URL
 * is the path and query as sent and body the exact bytes sent ('' for GET).
 */
export function authorizationHeader(
  signer: MerchantSigner,
  request: { method: string; url: string; body: string },
  timestamp = unixSeconds(),
  nonce = Formatter.nonce(32),
): string {
  const message = Formatter.request(request.method, request.url, timestamp, nonce, request.body);
  return Formatter.authorization(signer.mchid, nonce, Rsa.sign(message, signer.privateKey), timestamp, signer.serial);
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks a platform-signed response or notification: Wechatpay-Serial names our platform key, Wechatpay-Timestamp
 * is within five minutes, and Wechatpay-Signature is SHA256withRSA over `timestamp\nnonce\nbody\n` of the raw body.
 */
export function verifyPlatformSignature(
  platform: PlatformVerifier,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  nowSeconds = unixSeconds(),
): SignatureCheck {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const timestamp = header('wechatpay-timestamp');
  const nonce = header('wechatpay-nonce');
  const signature = header('wechatpay-signature');
  const serial = header('wechatpay-serial');
  const type = header('wechatpay-signature-type');
  if (!timestamp || !nonce || !signature || !serial) return { ok: false, reason: 'missing signature headers' };
  if (type !== undefined && type !== SIGNATURE_TYPE) return { ok: false, reason: `unsupported signature type ${type}` };
  if (serial !== platform.serial) return { ok: false, reason: `unknown platform serial ${serial}` };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > TIMESTAMP_TOLERANCE_SECONDS) return { ok: false, reason: 'stale timestamp' };
  let valid: boolean;
  try {
    valid = Rsa.verify(Formatter.response(timestamp, nonce, rawBody), signature, platform.publicKey);
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}

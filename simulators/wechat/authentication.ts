import type { RequestHandler } from 'express';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import type { SimulatorState } from './state.js';

const schemeName = 'WECHATPAY2-SHA256-RSA2048 ';

/** `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`, in any order. */
function parseAuthorization(header: string | undefined): Record<string, string> | undefined {
  if (!header?.startsWith(schemeName)) return undefined;
  const fields: Record<string, string> = {};
  for (const match of header.slice(schemeName.length).matchAll(/(\w+)="([^"]*)"/g)) fields[match[1]!] = match[2]!;
  return fields;
}

/** The request's raw body as signed: '' when there is none. */
export function rawBodyOf(body: unknown): string {
  return Buffer.isBuffer(body) ? body.toString('utf8') : '';
}

/**
 * WeChat Pay's check of the merchant's signature: the merchant and certificate serial it knows, a timestamp
 * within five minutes, SHA256withRSA over `METHOD\nURL\ntimestamp\nnonce\nbody\n`. A refusal is 401 SIGN_ERROR,
 * unsigned (the platform signs only answers to requests it could authenticate).
 */
export function requireMerchantSignature(state: SimulatorState): RequestHandler {
  return (req, res, next) => {
    const fields = parseAuthorization(req.get('Authorization'));
    const refuse = (message: string) => void res.status(401).json({ code: 'SIGN_ERROR', message });
    if (!fields) return refuse('Authorization is missing or not WECHATPAY2-SHA256-RSA2048');
    const { mchid, nonce_str: nonce, signature, timestamp, serial_no: serial } = fields;
    if (!mchid || !nonce || !signature || !timestamp || !serial) return refuse('Authorization lacks a field');
    if (mchid !== state.keys.mchid) return refuse('unknown mchid');
    if (serial !== state.keys.merchant.serial) return refuse('unknown merchant certificate serial');
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return refuse('timestamp is not within 5 minutes');
    const message = Formatter.request(req.method, req.originalUrl, timestamp, nonce, rawBodyOf(req.body));
    let valid = false;
    try {
      valid = Rsa.verify(message, signature, state.keys.merchant.publicKey);
    } catch {
      valid = false;
    }
    if (!valid) return refuse('signature verification failed');
    next();
  };
}

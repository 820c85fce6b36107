import type { Response } from 'express';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import type { SimulatorKeys } from './state.js';

/** A handler's answer as data: the status and JSON body (none for 204). */
export interface Reply {
  status: number;
  body?: unknown;
}

/** API v3 refusals: an HTTP status and {code, message}. */
export function refusal(status: number, code: string, message: string): Reply {
  return { status, body: { code, message } };
}

export const paramError = (message: string): Reply => refusal(400, 'PARAM_ERROR', message);
export const invalidRequest = (message: string): Reply => refusal(400, 'INVALID_REQUEST', message);

/** The platform's signature headers over `timestamp\nnonce\nbody\n`, as on every answer and notification. */
export function platformSignatureHeaders(platform: SimulatorKeys['platform'], body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const nonce = Formatter.nonce(32);
  return {
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Timestamp': String(timestamp),
    'Wechatpay-Serial': platform.serial,
    'Wechatpay-Signature': Rsa.sign(Formatter.response(timestamp, nonce, body), platform.privateKey),
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
}

/** Sends a reply signed by the platform key. */
export function sendSigned(res: Response, platform: SimulatorKeys['platform'], reply: Reply): void {
  const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.status(reply.status).set(platformSignatureHeaders(platform, body));
  if (reply.body === undefined) return void res.end();
  res.type('application/json').send(body);
}

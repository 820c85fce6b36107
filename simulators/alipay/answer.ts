import type { Response } from 'express';
import { rsa2Sign } from './signature.js';
import type { SimulatorState } from './state.js';

/** What a method handler answers: Alipay's common fields plus the method's own. */
export type Answer = { code: string; msg: string; sub_code?: string; sub_msg?: string } & Record<string, unknown>;

export const success = (fields: Record<string, unknown> = {}): Answer => ({ code: '10000', msg: 'Success', ...fields });

/** A business refusal (40004) with Alipay's sub_code. */
export const refused = (subCode: string, subMsg: string): Answer => ({ code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg });

/** A refusal of the request itself (40002): bad signature, app id, parameters. */
export const invalid = (subCode: string, subMsg: string): Answer => ({ code: '40002', msg: 'Invalid Arguments', sub_code: subCode, sub_msg: subMsg });

/** The outcome is unknown to the caller, who may send the same request again. */
export const unknown = (): Answer => ({ code: '20000', msg: 'Service Currently Unavailable', sub_code: 'ACQ.SYSTEM_ERROR', sub_msg: '系统错误' });

/**
 * Sends `{"<method>_response":{…},"sign":"…"}`: the signature covers the response object's JSON text
 * exactly as it appears in the body, which is what merchants verify.
 */
export function answerBody(method: string, answer: Answer, privateKey: string): string {
  const json = JSON.stringify(answer);
  return `{"${method.replace(/\./g, '_')}_response":${json},"sign":"${rsa2Sign(json, privateKey)}"}`;
}

export function sendAnswer(res: Response, state: SimulatorState, method: string, answer: Answer): void {
  res.status(200).type('application/json; charset=utf-8').send(answerBody(method, answer, state.privateKey));
}

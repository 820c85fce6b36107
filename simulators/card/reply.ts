import type { Response } from 'express';

/** A handler's answer as data, so that idempotency can store and replay it. */
export interface Reply {
  status: number;
  body: unknown;
}

export type ProviderErrorType =
  | 'api_error'
  | 'authentication_error'
  | 'idempotency_error'
  | 'invalid_request'
  | 'invalid_state'
  | 'not_found';

export function ok(body: unknown): Reply {
  return { status: 200, body };
}

export function providerError(status: number, type: ProviderErrorType, message?: string): Reply {
  return { status, body: { error: message === undefined ? { type } : { type, message } } };
}

export const notFound = (): Reply => providerError(404, 'not_found');
export const invalidState = (message: string): Reply => providerError(409, 'invalid_state', message);
export const invalidRequest = (message: string): Reply => providerError(400, 'invalid_request', message);

export function send(res: Response, reply: Reply): void {
  res.status(reply.status).json(reply.body);
}

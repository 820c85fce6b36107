import type { Response } from 'express';
import { ErrorCode, type DomainError } from './errors.js';
import { withRequestId } from './request-context.js';

const statusOf: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
};

/** A refusal on a plain HTTP route (not /graphql): the HTTP status, and the body GraphQL errors have. */
export function sendRefusal(res: Response, error: DomainError): void {
  res.status(statusOf[error.code] ?? 400).json({ errors: [{ message: error.message, extensions: withRequestId({ ...error.details, code: error.code }) }] });
}

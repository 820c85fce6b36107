import { describeError } from './error-description.js';
import { logger } from './logger.js';

export { describeError, errorSummary } from './error-description.js';

/**
 * Logs an unexpected error at `error` level: its type, message and stack only; a database error without
 * its message (see describeError). Request inputs (card numbers among them) are never logged.
 */
export function logInternalError(service: string, error: unknown): void {
  logger(service).error({ error: describeError(error) }, 'internal error');
}

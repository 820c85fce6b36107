import { ConnectionException, DeadlockException, DriverException, LockWaitTimeoutException } from '@mikro-orm/core';
import { InternalCallError } from '../internal-client.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
// SQLSTATE classes: connection exception, transaction rollback (serialization, deadlock),
// insufficient resources, operator intervention (shutdown), system error
const TRANSIENT_SQLSTATE = /^(08|40|53|57|58)/;
const TRANSIENT_MESSAGE = /connection terminated|timeout acquiring a connection|timeout exceeded when trying to connect|database system is (starting up|shutting down)|socket hang up/i;

function isTransientOne(error: unknown): boolean {
  if (error instanceof ConnectionException || error instanceof DeadlockException || error instanceof LockWaitTimeoutException) return true;
  if (error instanceof InternalCallError) return error.status === null || error.status >= 500;
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE.test(code)))) return true;
  if (error instanceof DriverException && typeof error.sqlState === 'string' && TRANSIENT_SQLSTATE.test(error.sqlState)) return true;
  return TRANSIENT_MESSAGE.test(error.message);
}

/**
 * Whether a failure to apply an event may pass by itself (the database or a service unreachable, a
 * deadlock, a lock timeout): such an event is retried however often it fails, never dead-lettered.
 */
export function isTransientError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (isTransientOne(current)) return true;
    current = current instanceof Error ? current.cause : undefined;
  }
  return false;
}

import type { TransactionStatus } from '../entities/TransactionRecord.js';

/** The one table of a record's status changes: a movement starts PENDING (or done) and ends once. */
export const transitions: Record<TransactionStatus, readonly TransactionStatus[]> = {
  PENDING: ['SUCCEEDED', 'FAILED'],
  SUCCEEDED: [],
  FAILED: [],
};

export function canTransition(from: TransactionStatus, to: TransactionStatus): boolean {
  return transitions[from].includes(to);
}

export function assertTransition(from: TransactionStatus, to: TransactionStatus, what: string): void {
  if (!canTransition(from, to)) throw new Error(`${what}: a ${from} record cannot become ${to}`);
}

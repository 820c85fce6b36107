import { describe, expect, it } from 'vitest';
import { transactionStatuses } from '../entities/TransactionRecord.js';
import { assertTransition, canTransition } from './status-machine.js';

const allowed = new Set(['PENDING>SUCCEEDED', 'PENDING>FAILED']);

describe('record status machine', () => {
  const pairs = transactionStatuses.flatMap((from) => transactionStatuses.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`));
    if (allowed.has(`${from}>${to}`)) expect(() => assertTransition(from, to, 'r')).not.toThrow();
    else expect(() => assertTransition(from, to, 'r')).toThrow(`r: a ${from} record cannot become ${to}`);
  });
});

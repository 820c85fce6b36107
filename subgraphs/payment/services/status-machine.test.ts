import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../lib/errors.js';
import { paymentStatuses, type PaymentStatus } from '../entities/Payment.js';
import {
  allowedTransitions,
  assertNothingPending,
  assertOperationAllowed,
  assertTransition,
  canTransition,
  operationStartStatuses,
  type PaymentOperation,
} from './status-machine.js';

// The specification, written out independently of the implementation's table: a change to the
// table must be a deliberate change here too.
const expectedTransitions: Record<PaymentStatus, PaymentStatus[]> = {
  REQUIRES_CONFIRMATION: ['PROCESSING', 'CANCELED'],
  PROCESSING: ['REQUIRES_ACTION', 'REQUIRES_CAPTURE', 'SUCCEEDED', 'FAILED'],
  REQUIRES_ACTION: ['PROCESSING', 'REQUIRES_CAPTURE', 'SUCCEEDED', 'FAILED', 'CANCELED'],
  REQUIRES_CAPTURE: ['PROCESSING', 'SUCCEEDED', 'CANCELED'],
  SUCCEEDED: [],
  FAILED: [],
  CANCELED: [],
};

const expectedStarts: Record<PaymentOperation, PaymentStatus[]> = {
  confirm: ['REQUIRES_CONFIRMATION'],
  capture: ['REQUIRES_CAPTURE'],
  cancel: ['REQUIRES_CONFIRMATION', 'REQUIRES_ACTION', 'REQUIRES_CAPTURE'],
  refund: ['SUCCEEDED'],
  payerAction: ['REQUIRES_ACTION'],
};

/** The DomainError `work` throws, or a failed expectation when it throws nothing or something else. */
function thrownBy(work: () => void): DomainError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

const pairs = paymentStatuses.flatMap((from) => paymentStatuses.map((to) => [from, to] as const));
const allowedPairs = pairs.filter(([from, to]) => expectedTransitions[from].includes(to));
const refusedPairs = pairs.filter(([from, to]) => !expectedTransitions[from].includes(to));

const operations = Object.keys(expectedStarts) as PaymentOperation[];
const operationCases = operations.flatMap((operation) => paymentStatuses.map((status) => [operation, status] as const));
const allowedOperations = operationCases.filter(([operation, status]) => expectedStarts[operation].includes(status));
const refusedOperations = operationCases.filter(([operation, status]) => !expectedStarts[operation].includes(status));

describe('payment status transitions', () => {
  it('covers the 7 statuses, 49 pairs: 14 allowed, 35 refused', () => {
    expect(paymentStatuses).toHaveLength(7);
    expect(allowedPairs).toHaveLength(14);
    expect(refusedPairs).toHaveLength(35);
  });

  it('the table is the specified one, for every status', () => {
    for (const status of paymentStatuses) {
      expect([...allowedTransitions[status]].sort(), status).toEqual([...expectedTransitions[status]].sort());
    }
  });

  it.each(allowedPairs)('%s -> %s is allowed', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(refusedPairs)('%s -> %s is INVALID_STATE', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    const error = thrownBy(() => assertTransition(from, to));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ status: from });
    expect(error.message).toBe(`A payment in status ${from} cannot become ${to}`);
  });

  it('no status may transition to itself', () => {
    for (const status of paymentStatuses) expect(canTransition(status, status), status).toBe(false);
  });

  it('terminal statuses allow nothing', () => {
    for (const status of ['SUCCEEDED', 'FAILED', 'CANCELED'] as const) {
      for (const to of paymentStatuses) expect(canTransition(status, to), `${status} -> ${to}`).toBe(false);
    }
  });
});

describe('operations by start status', () => {
  it('the start statuses are the specified ones, for every operation', () => {
    expect(Object.keys(operationStartStatuses).sort()).toEqual([...operations].sort());
    for (const operation of operations) {
      expect([...operationStartStatuses[operation]].sort(), operation).toEqual([...expectedStarts[operation]].sort());
    }
  });

  it('covers 5 operations × 7 statuses: 7 allowed, 28 refused', () => {
    expect(allowedOperations).toHaveLength(7);
    expect(refusedOperations).toHaveLength(28);
  });

  it.each(allowedOperations)('%s from %s is allowed', (operation, status) => {
    expect(() => assertOperationAllowed(operation, status)).not.toThrow();
  });

  it.each(refusedOperations)('%s from %s is INVALID_STATE', (operation, status) => {
    const error = thrownBy(() => assertOperationAllowed(operation, status));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.details).toEqual({ status });
    expect(error.message).toContain(`a payment in status ${status}`);
  });

  it('from each start status, the operation can make its own transition', () => {
    // confirm and capture pass through PROCESSING, cancel ends CANCELED, the payer's answer ends the payment
    for (const status of [...expectedStarts.confirm, ...expectedStarts.capture]) expect(canTransition(status, 'PROCESSING')).toBe(true);
    for (const status of expectedStarts.cancel) expect(canTransition(status, 'CANCELED')).toBe(true);
    for (const status of expectedStarts.payerAction) {
      expect(canTransition(status, 'SUCCEEDED')).toBe(true);
      expect(canTransition(status, 'FAILED')).toBe(true);
    }
  });
});

describe('an operation in flight', () => {
  it('refuses every other operation with INVALID_STATE while it is pending, the status unchanged', () => {
    for (const pendingOperation of ['CONFIRM', 'CAPTURE', 'CANCEL'] as const) {
      const error = thrownBy(() => assertNothingPending({ pendingOperation, status: 'REQUIRES_CAPTURE' }));
      expect(error.code).toBe('INVALID_STATE');
      expect(error.details).toEqual({ status: 'REQUIRES_CAPTURE' });
      expect(error.message).toContain(pendingOperation.toLowerCase());
    }
    expect(() => assertNothingPending({ pendingOperation: null, status: 'REQUIRES_CAPTURE' })).not.toThrow();
  });
});

import { fail } from '../../../lib/errors.js';
import type { Payment, PaymentStatus } from '../entities/Payment.js';

/**
 * Every status change a payment may make; anything else is INVALID_STATE.
 * PROCESSING means the provider is working on it (authorization or capture in flight), so a
 * concurrent request sees it and is refused, and a crash leaves a visible, recoverable state.
 */
export const allowedTransitions: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  REQUIRES_CONFIRMATION: ['PROCESSING', 'CANCELED'],
  PROCESSING: ['REQUIRES_ACTION', 'REQUIRES_CAPTURE', 'SUCCEEDED', 'FAILED'],
  REQUIRES_ACTION: ['PROCESSING', 'REQUIRES_CAPTURE', 'SUCCEEDED', 'FAILED', 'CANCELED'],
  REQUIRES_CAPTURE: ['PROCESSING', 'SUCCEEDED', 'CANCELED'],
  SUCCEEDED: [],
  FAILED: [],
  CANCELED: [],
};

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return allowedTransitions[from].includes(to);
}

export function assertTransition(from: PaymentStatus, to: PaymentStatus): void {
  if (!canTransition(from, to)) {
    throw fail.invalidState(`A payment in status ${from} cannot become ${to}`, { status: from });
  }
}


/** The statuses each operation starts from; anything else is INVALID_STATE. */
export const operationStartStatuses = {
  confirm: ['REQUIRES_CONFIRMATION'],
  capture: ['REQUIRES_CAPTURE'],
  cancel: ['REQUIRES_CONFIRMATION', 'REQUIRES_ACTION', 'REQUIRES_CAPTURE'],
  refund: ['SUCCEEDED'],
  payerAction: ['REQUIRES_ACTION'],
} as const satisfies Record<string, readonly PaymentStatus[]>;
export type PaymentOperation = keyof typeof operationStartStatuses;

export function assertOperationAllowed(operation: PaymentOperation, status: PaymentStatus): void {
  if (!(operationStartStatuses[operation] as readonly PaymentStatus[]).includes(status)) {
    throw fail.invalidState(`Cannot ${operation === 'payerAction' ? 'act as the payer on' : operation} a payment in status ${status}`, {
      status,
    });
  }
}

/** While an operation is in flight at the provider (a cancellation keeps the payment's status), no other starts. */
export function assertNothingPending(payment: Pick<Payment, 'pendingOperation' | 'status'>): void {
  if (payment.pendingOperation) {
    throw fail.invalidState(`A ${payment.pendingOperation.toLowerCase()} of this payment is in progress`, { status: payment.status });
  }
}

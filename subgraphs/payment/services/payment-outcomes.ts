import type { Em } from '../../../lib/database.js';
import type { Payment } from '../entities/Payment.js';
import type { AuthorizationOutcome } from '../channels/channel.js';
import { changeStatus } from './payment-events.js';

/** Applies what the provider said about an authorization to the payment. */
export function applyAuthorizationOutcome(em: Em, payment: Payment, outcome: AuthorizationOutcome, now: Date): void {
  clearPendingOperation(payment);
  if (outcome.providerReference) payment.providerReference = outcome.providerReference;
  switch (outcome.kind) {
    case 'authorized':
      payment.nextAction = null;
      payment.amountCapturable = payment.amount;
      changeStatus(em, payment, 'REQUIRES_CAPTURE', now);
      return;
    case 'captured':
      payment.nextAction = null;
      payment.amountCapturable = 0n;
      payment.amountReceived = payment.amount;
      changeStatus(em, payment, 'SUCCEEDED', now);
      return;
    case 'requires_action':
      payment.nextAction = outcome.nextAction;
      changeStatus(em, payment, 'REQUIRES_ACTION', now);
      return;
    case 'declined':
      // A wallet order closed once its QR code has expired was not declined by anyone: it expired.
      if (hasExpired(payment, now)) return expirePayment(em, payment, now);
      payment.nextAction = null;
      payment.amountCapturable = 0n;
      payment.failureCode = outcome.failureCode;
      payment.failureMessage = outcome.failureMessage;
      changeStatus(em, payment, 'FAILED', now);
  }
}

export function hasExpired(payment: Payment, now: Date): boolean {
  return payment.expiresAt !== null && payment.expiresAt !== undefined && payment.expiresAt <= now;
}

/**
 * An unpaid payment past its expiry, already closed at the provider: CANCELED with PAYMENT_EXPIRED, or
 * FAILED when it never left PROCESSING (the provider's answer to the confirmation never arrived).
 */
export function expirePayment(em: Em, payment: Payment, now: Date): void {
  clearPendingOperation(payment);
  payment.nextAction = null;
  payment.amountCapturable = 0n;
  payment.failureCode = 'PAYMENT_EXPIRED';
  payment.failureMessage = 'The payer did not pay before the payment expired';
  changeStatus(em, payment, payment.status === 'PROCESSING' ? 'FAILED' : 'CANCELED', now);
}

/** The operation in flight is settled: another may start. */
export function clearPendingOperation(payment: Payment): void {
  payment.pendingOperation = null;
  payment.pendingAmount = null;
}

/** The provider captured what the capture in flight asked for. */
export function applyCaptured(em: Em, payment: Payment, now: Date): void {
  payment.amountReceived = payment.pendingAmount ?? payment.amountCapturable;
  payment.amountCapturable = 0n;
  clearPendingOperation(payment);
  changeStatus(em, payment, 'SUCCEEDED', now);
}

/** The provider refused the capture: the authorization stays as it was, capturable again. */
export function applyCaptureRefused(em: Em, payment: Payment, now: Date): void {
  clearPendingOperation(payment);
  changeStatus(em, payment, 'REQUIRES_CAPTURE', now);
}

/** The provider voided the authorization or closed the order. */
export function applyCanceled(em: Em, payment: Payment, now: Date): void {
  payment.amountCapturable = 0n;
  payment.nextAction = null;
  clearPendingOperation(payment);
  changeStatus(em, payment, 'CANCELED', now);
}

/** The provider refused the cancellation: the payment stays in its status, its reason forgotten. */
export function applyCancelRefused(payment: Payment, now: Date): void {
  clearPendingOperation(payment);
  payment.cancellationReason = null;
  payment.updatedAt = now;
}

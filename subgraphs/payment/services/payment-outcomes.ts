import type { Em } from '../../../lib/database.js';
import type { Payment } from '../entities/Payment.js';
import type { AuthorizationOutcome } from '../channels/channel.js';
import { changeStatus } from './payment-events.js';

/** Applies what the provider said about an authorization to the payment. */
export function applyAuthorizationOutcome(em: Em, payment: Payment, outcome: AuthorizationOutcome, now: Date): void {
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
      payment.nextAction = null;
      payment.amountCapturable = 0n;
      payment.failureCode = outcome.failureCode;
      payment.failureMessage = outcome.failureMessage;
      changeStatus(em, payment, 'FAILED', now);
  }
}

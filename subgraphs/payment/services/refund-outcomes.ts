import type { Em } from '../../../lib/database.js';
import { money, subtract } from '../../../lib/money.js';
import type { Payment } from '../entities/Payment.js';
import type { Refund } from '../entities/Refund.js';
import type { RefundOutcome } from '../channels/channel.js';
import { recordRefundEvent } from './payment-events.js';

/**
 * Applies the provider's word on a refund, once: only a PENDING refund changes, so the answer to the
 * refund request, its callback and a status query may arrive in any order and book it once.
 * The caller holds the payment's lock. True when the refund changed status.
 */
export function applyRefundOutcome(em: Em, payment: Payment, refund: Refund, outcome: RefundOutcome, now: Date): boolean {
  if (refund.status !== 'PENDING') return false;
  if (outcome.providerReference) refund.providerReference = outcome.providerReference;
  if (outcome.status === 'PENDING') return false;
  refund.status = outcome.status;
  refund.updatedAt = now;
  if (outcome.status === 'SUCCEEDED') {
    recordRefundEvent(em, payment, refund, 'refund.succeeded', now);
    return true;
  }
  refund.failureCode = outcome.failureCode;
  // a refused refund releases what it reserved
  payment.amountRefunded = subtract(money(payment.amountRefunded, payment.currency), money(refund.amount, refund.currency)).minor;
  payment.updatedAt = now;
  recordRefundEvent(em, payment, refund, 'refund.failed', now);
  return true;
}

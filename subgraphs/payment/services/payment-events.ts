import type { Em } from '../../../lib/database.js';
import type { WrittenPayload } from '../../../lib/events/event-contract.js';
import { recordEvent } from '../../../lib/events/outbox.js';
import { paymentEvents, type RefundEventType } from '../contract/events.js';
import type { Payment, PaymentStatus } from '../entities/Payment.js';
import type { Refund } from '../entities/Refund.js';
import { assertTransition } from './status-machine.js';

type PaymentData = Omit<WrittenPayload<typeof paymentEvents, 'payment.status_changed'>, 'previousStatus'>;

/** What consumers (accounting, transactions, analytics, subscriptions) need of a payment, amounts in minor units. */
function paymentData(payment: Payment): PaymentData {
  return {
    paymentId: payment.id,
    merchantId: payment.merchantId,
    channel: payment.channel,
    captureMethod: payment.captureMethod,
    currency: payment.currency,
    amount: payment.amount.toString(),
    amountCapturable: payment.amountCapturable.toString(),
    amountReceived: payment.amountReceived.toString(),
    amountRefunded: payment.amountRefunded.toString(),
    status: payment.status,
    failureCode: payment.failureCode ?? null,
    providerReference: payment.providerReference ?? null,
    createdAt: payment.createdAt.toISOString(),
  };
}

function refundData(payment: Payment, refund: Refund): WrittenPayload<typeof paymentEvents, RefundEventType> {
  return {
    refundId: refund.id,
    paymentId: refund.paymentId,
    merchantId: refund.merchantId,
    channel: payment.channel,
    currency: refund.currency,
    amount: refund.amount.toString(),
    status: refund.status,
    failureCode: refund.failureCode ?? null,
    providerReference: refund.providerReference ?? null,
    createdAt: refund.createdAt.toISOString(),
  };
}

/** The next position in the payment's event stream; callers hold the payment (new, or locked). */
function nextSequence(payment: Payment): number {
  payment.eventSequence += 1;
  return payment.eventSequence;
}

export function recordPaymentCreated(em: Em, payment: Payment): void {
  recordEvent(em, paymentEvents, {
    aggregateType: 'payment',
    aggregateId: payment.id,
    merchantId: payment.merchantId,
    sequence: nextSequence(payment),
    type: 'payment.created',
    payload: { ...paymentData(payment), previousStatus: null },
    occurredAt: payment.createdAt,
  });
}

/** The one way a payment's status changes: checked against the table, stamped, and recorded in the outbox. */
export function changeStatus(em: Em, payment: Payment, to: PaymentStatus, now: Date): void {
  assertTransition(payment.status, to);
  const previousStatus = payment.status;
  payment.status = to;
  payment.updatedAt = now;
  recordEvent(em, paymentEvents, {
    aggregateType: 'payment',
    aggregateId: payment.id,
    merchantId: payment.merchantId,
    sequence: nextSequence(payment),
    type: 'payment.status_changed',
    payload: { ...paymentData(payment), previousStatus },
    occurredAt: now,
  });
}

export function recordRefundEvent(
  em: Em,
  payment: Payment,
  refund: Refund,
  type: RefundEventType,
  now: Date,
): void {
  recordEvent(em, paymentEvents, {
    aggregateType: 'payment',
    aggregateId: refund.paymentId,
    merchantId: refund.merchantId,
    sequence: nextSequence(payment),
    type,
    payload: refundData(payment, refund),
    occurredAt: now,
  });
}

import { money, subtract, sum, type Money } from '../../lib/money.js';
import type { PaymentFact } from '../../subgraphs/analytics/entities/PaymentFact.js';
import { computeFee, type FeeSchedule } from '../../subgraphs/accounting/services/fees.js';
import type { Payment } from '../../subgraphs/payment/entities/Payment.js';
import type { Refund } from '../../subgraphs/payment/entities/Refund.js';
import type { RefundBooking } from '../../subgraphs/transaction/entities/RefundBooking.js';
import type { TransactionRecord } from '../../subgraphs/transaction/entities/TransactionRecord.js';
import type { PaymentLife, RefundLife } from './payment-lives.js';

/** What the refunds of a payment that pass `counts` add up to, in minor units. */
function refundedMinor(life: PaymentLife, counts: (refund: RefundLife) => boolean): bigint {
  return sum(life.refunds.filter(counts).map((r) => money(r.amount, life.currency)), life.currency).minor;
}

/** The payment subgraph's row of a payment, as it stands at the end. Seeded payments have no events (eventSequence 0). */
export function paymentRow(life: PaymentLife): Payment {
  const refunded = refundedMinor(life, (r) => r.status !== 'FAILED');
  return {
    id: life.id,
    merchantId: life.merchant.id,
    currency: life.currency,
    amount: life.amount,
    amountCapturable: life.amountCapturable,
    amountReceived: life.amountReceived,
    amountRefunded: refunded,
    channel: life.channel,
    captureMethod: life.captureMethod,
    status: life.status,
    nextAction: life.nextAction,
    failureCode: life.failureCode,
    failureMessage: life.failureMessage,
    description: life.description,
    metadata: null,
    card: life.card,
    cancellationReason: life.cancellationReason,
    providerReference: life.providerReference,
    expiresAt: life.expiresAt,
    pendingOperation: null,
    pendingAmount: null,
    providerCheckedAt: null,
    createdAt: life.createdAt,
    updatedAt: life.updatedAt,
    eventSequence: 0,
    version: 1,
  };
}

export function refundRow(life: PaymentLife, refund: RefundLife): Refund {
  return {
    id: refund.id,
    paymentId: life.id,
    merchantId: life.merchant.id,
    currency: life.currency,
    amount: refund.amount,
    status: refund.status,
    reason: refund.reason,
    failureCode: refund.failureCode,
    providerReference: refund.providerReference,
    providerCheckedAt: null,
    createdAt: refund.createdAt,
    updatedAt: refund.endedAt ?? refund.createdAt,
  };
}

/** The fee accounting books with a capture: its own fee schedule (subgraphs/accounting/services/fees.ts). */
export const captureFee = (fees: FeeSchedule, life: PaymentLife): Money => computeFee(fees, life.channel, money(life.amountReceived, life.currency));

/** Analytics' fact of a payment: its figures as the events would have left them (fee booked at capture, none returned with refunds). */
export function factRow(fees: FeeSchedule, life: PaymentLife): PaymentFact {
  return {
    paymentId: life.id,
    merchantId: life.merchant.id,
    channel: life.channel,
    currency: life.currency,
    status: life.status,
    createdAt: life.createdAt,
    amount: life.amount,
    captured: life.amountReceived,
    refunded: refundedMinor(life, (r) => r.status === 'SUCCEEDED'),
    fee: life.capturedAt ? captureFee(fees, life).minor : 0n,
    updatedAt: life.updatedAt,
  };
}

/** A movement the transaction subgraph records, at its time: a capture or a refund. */
export type Movement = { at: Date; life: PaymentLife; refund: RefundLife | null };

/** The record of a movement (its id and trade number given by the caller, in the order records are written). */
export function transactionRow(fees: FeeSchedule, movement: Movement, id: string, tradeNo: string, recordedAt: Date): TransactionRecord {
  const { life, refund } = movement;
  if (!refund) {
    const fee = captureFee(fees, life);
    return {
      id,
      tradeNo,
      type: 'PAYMENT',
      direction: 'INCOME',
      movementId: life.id,
      merchantId: life.merchant.id,
      paymentId: life.id,
      refundId: null,
      channel: life.channel,
      currency: life.currency,
      amount: life.amountReceived,
      fee: fee.minor,
      net: subtract(money(life.amountReceived, life.currency), fee).minor,
      status: 'SUCCEEDED',
      occurredAt: movement.at,
      createdAt: recordedAt,
      updatedAt: recordedAt,
    };
  }
  // fees are not returned with refunds: accounting books fee 0 and net the amount
  return {
    id,
    tradeNo,
    type: 'REFUND',
    direction: 'EXPENSE',
    movementId: refund.id,
    merchantId: life.merchant.id,
    paymentId: life.id,
    refundId: refund.id,
    channel: life.channel,
    currency: life.currency,
    amount: refund.amount,
    fee: 0n,
    net: refund.amount,
    status: refund.status,
    occurredAt: refund.createdAt,
    createdAt: recordedAt,
    updatedAt: refund.endedAt && refund.endedAt > recordedAt ? refund.endedAt : recordedAt,
  };
}

/** Where the transaction subgraph keeps a refund's booking: accounting books succeeded refunds only. */
export function refundBookingRow(life: PaymentLife, refund: RefundLife): RefundBooking {
  const booked = refund.status === 'SUCCEEDED';
  return {
    refundId: refund.id,
    paymentId: life.id,
    currency: booked ? life.currency : null,
    amount: booked ? refund.amount : null,
    fee: booked ? 0n : null,
    net: booked ? refund.amount : null,
    bookedAt: booked ? refund.endedAt : null,
  };
}

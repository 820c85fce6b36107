import type { Em } from '../../../lib/database.js';
import { recordEvent } from '../../../lib/events/outbox.js';
import { money, subtract, zero, type Money } from '../../../lib/money.js';
import type { Journal } from '../entities/Journal.js';
import type { PaymentFigures } from '../entities/PaymentFigures.js';

/**
 * Accounting's own events, written to its outbox in the transaction that posts the journal they
 * describe, so each is published exactly when its journal exists. Amounts are minor units as decimal
 * strings; a payment's events carry a gapless 1-based `sequence` kept on its figures (the inbox
 * serializes a payment's events, so the counter needs no lock of its own).
 */
function record(tx: Em, figures: PaymentFigures, journal: Journal, type: string, payload: Record<string, unknown>): void {
  figures.eventSequence += 1;
  recordEvent(tx, {
    aggregateType: 'payment',
    aggregateId: figures.paymentId,
    sequence: figures.eventSequence,
    type,
    payload: {
      paymentId: figures.paymentId,
      merchantId: figures.merchantId,
      channel: figures.channel,
      currency: figures.currency,
      ...payload,
      journalId: journal.id,
      bookedAt: journal.postedAt.toISOString(),
    },
    occurredAt: journal.postedAt,
  });
}

/** A capture journal was posted: what the payment brought in, the fee, and the net owed to the merchant. */
export function recordPaymentBooked(tx: Em, figures: PaymentFigures, journal: Journal): void {
  record(tx, figures, journal, 'accounting.payment_booked', {
    amount: figures.captured.toString(),
    fee: figures.fee.toString(),
    net: subtract(money(figures.captured, figures.currency), money(figures.fee, figures.currency)).minor.toString(),
    // the capture's own time (the booking may come later): consumers place the payment in time by it
    capturedAt: figures.capturedAt.toISOString(),
  });
}

/** A refund journal was posted. Fees are not returned on refunds: fee is 0 and net is the amount. */
export function recordRefundBooked(tx: Em, figures: PaymentFigures, refundId: string, amount: Money, journal: Journal): void {
  const fee = zero(amount.currency);
  record(tx, figures, journal, 'accounting.refund_booked', {
    refundId,
    amount: amount.minor.toString(),
    fee: fee.minor.toString(),
    net: subtract(amount, fee).minor.toString(),
  });
}

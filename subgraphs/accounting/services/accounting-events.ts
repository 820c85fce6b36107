import type { Em } from '../../../lib/database.js';
import { recordEvent } from '../../../lib/events/outbox.js';
import { accountingEvents } from '../contract/events.js';
import { money, subtract, zero, type Money } from '../../../lib/money.js';
import type { Journal } from '../entities/Journal.js';
import type { PaymentFigures } from '../entities/PaymentFigures.js';

/**
 * Accounting's own events (subgraphs/accounting/contract/events.ts), written to its outbox in the
 * transaction that posts the journal they describe, so each is published exactly when its journal
 * exists. A payment's events carry a gapless 1-based `sequence` kept on its figures (the inbox
 * serializes a payment's events, so the counter needs no lock of its own).
 */
function envelope(figures: PaymentFigures, journal: Journal) {
  figures.eventSequence += 1;
  return { aggregateType: 'payment', aggregateId: figures.paymentId, merchantId: figures.merchantId, sequence: figures.eventSequence, occurredAt: journal.postedAt };
}

/** What every booking says of its payment and its journal. */
function booking(figures: PaymentFigures, journal: Journal) {
  return {
    paymentId: figures.paymentId,
    merchantId: figures.merchantId,
    channel: figures.channel,
    currency: figures.currency,
    journalId: journal.id,
    bookedAt: journal.postedAt.toISOString(),
  };
}

/** A capture journal was posted: what the payment brought in, the fee, and the net owed to the merchant. */
export function recordPaymentBooked(tx: Em, figures: PaymentFigures, journal: Journal): void {
  recordEvent(tx, accountingEvents, {
    ...envelope(figures, journal),
    type: 'accounting.payment_booked',
    payload: {
      ...booking(figures, journal),
      amount: figures.captured.toString(),
      fee: figures.fee.toString(),
      net: subtract(money(figures.captured, figures.currency), money(figures.fee, figures.currency)).minor.toString(),
      // the capture's own time (the booking may come later): consumers place the payment in time by it
      capturedAt: figures.capturedAt.toISOString(),
    },
  });
}

/** A refund journal was posted. Fees are not returned on refunds: fee is 0 and net is the amount. */
export function recordRefundBooked(tx: Em, figures: PaymentFigures, refundId: string, amount: Money, journal: Journal): void {
  const fee = zero(amount.currency);
  recordEvent(tx, accountingEvents, {
    ...envelope(figures, journal),
    type: 'accounting.refund_booked',
    payload: {
      ...booking(figures, journal),
      refundId,
      amount: amount.minor.toString(),
      fee: fee.minor.toString(),
      net: subtract(amount, fee).minor.toString(),
    },
  });
}

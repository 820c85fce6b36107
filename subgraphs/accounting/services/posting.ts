import { LockMode } from '@mikro-orm/core';
import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import type { EventEnvelope } from '../../../lib/events/event.js';
import { PaymentFigures } from '../entities/PaymentFigures.js';
import { Settlement } from '../entities/Settlement.js';
import { recordPaymentBooked, recordRefundBooked } from './accounting-events.js';
import { parsePaymentStatusChanged, parseRefundSucceeded } from './event-payloads.js';
import { computeFee, type FeeSchedule } from './fees.js';
import { captureJournal, refundJournal } from './journals.js';
import { LedgerWriter } from './ledger-writer.js';

export interface LedgerPostingOptions {
  dialect: Dialect;
  clock: Clock;
  fees: FeeSchedule;
  settlementDelayMs: number;
}

/**
 * Books the payment events. A capture (status_changed to SUCCEEDED: automatic capture, manual full or
 * partial capture) and a succeeded refund post a journal; creation, authorization, cancellation,
 * declines and pending or failed refunds move no money and book nothing. Each journal of a payment
 * is announced by an accounting event in the same transaction (services/accounting-events.ts).
 */
export class LedgerPosting {
  constructor(private readonly options: LedgerPostingOptions) {}

  /** Runs inside the inbox's transaction (lib/events/inbox.ts applyOnce), so it happens once per event. */
  async apply(tx: Em, event: EventEnvelope): Promise<void> {
    if (event.type === 'payment.status_changed') await this.capture(tx, event);
    else if (event.type === 'refund.succeeded') await this.refund(tx, event);
  }

  private async capture(tx: Em, event: EventEnvelope): Promise<void> {
    const payment = parsePaymentStatusChanged(event);
    if (payment.status !== 'SUCCEEDED' || payment.amountReceived === 0n) return;
    // SUCCEEDED is final: a second one would be a bug upstream, and booking it twice would be worse.
    if (await tx.findOne(PaymentFigures, { paymentId: payment.paymentId })) {
      throw new Error(`payment ${payment.paymentId} was already captured; event ${event.id} is a second capture`);
    }
    const occurredAt = new Date(event.occurredAt);
    const fee = computeFee(this.options.fees, payment.channel, payment.currency, payment.amountReceived);
    const { paymentId, merchantId, channel, currency, amountReceived: captured } = payment;
    const figures = tx.create(PaymentFigures, { paymentId, merchantId, channel, currency, captured, fee, refunded: 0n, capturedAt: occurredAt, eventSequence: 0 });
    tx.create(Settlement, {
      paymentId,
      merchantId,
      currency,
      amount: captured - fee,
      settleAt: new Date(occurredAt.getTime() + this.options.settlementDelayMs),
      settledAt: null,
    });
    const journal = await this.writer(tx).post(captureJournal(payment, captured, fee, { eventId: event.id, occurredAt }));
    recordPaymentBooked(tx, figures, journal);
  }

  private async refund(tx: Em, event: EventEnvelope): Promise<void> {
    const refund = parseRefundSucceeded(event);
    const figures = await tx.findOne(PaymentFigures, { paymentId: refund.paymentId });
    if (!figures) throw new Error(`refund ${refund.refundId} of payment ${refund.paymentId}, which was never captured`);
    if (figures.currency !== refund.currency) throw new Error(`refund ${refund.refundId} is in ${refund.currency}, its payment in ${figures.currency}`);
    // Locked before the chain (the order every writer takes them in), so settleDue cannot settle the
    // amount this refund is taking out of pending.
    const settlement = await tx.findOneOrFail(
      Settlement,
      { paymentId: refund.paymentId },
      this.options.dialect === 'postgresql' ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
    const settled = settlement.settledAt !== null;
    if (!settled) settlement.amount -= refund.amount;
    figures.refunded += refund.amount;
    const journal = await this.writer(tx).post(refundJournal(figures, refund.amount, settled, { eventId: event.id, occurredAt: new Date(event.occurredAt) }));
    recordRefundBooked(tx, figures, refund.refundId, refund.amount, journal);
  }

  private writer(tx: Em): LedgerWriter {
    return new LedgerWriter(tx, this.options.dialect, this.options.clock);
  }
}

import { LockMode } from '@mikro-orm/core';
import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import type { z } from 'zod';
import { parseEventPayload } from '../../../lib/events/event-contract.js';
import type { EventEnvelope } from '../../../lib/events/event.js';
import { paymentStatePayload, refundPayload } from '../../payment/contract/events.js';
import { add, isPositive, money, subtract } from '../../../lib/money.js';
import { FailedPayment } from '../entities/FailedPayment.js';
import { PaymentFigures } from '../entities/PaymentFigures.js';
import { RefundRecord } from '../entities/RefundRecord.js';
import { Settlement } from '../entities/Settlement.js';
import { recordPaymentBooked, recordRefundBooked } from './accounting-events.js';
import { computeFee, type FeeSchedule } from './fees.js';
import { captureJournal, refundJournal } from './journals.js';
import { LedgerWriter } from './ledger-writer.js';

/** What posting reads of the payment's events. */
const paymentStatusChanged = paymentStatePayload.pick({ paymentId: true, merchantId: true, channel: true, currency: true, amount: true, amountReceived: true, status: true, providerReference: true });
const refundEvent = refundPayload.pick({ refundId: true, paymentId: true, merchantId: true, currency: true, amount: true, providerReference: true, createdAt: true });
type PaymentStatusChanged = z.output<typeof paymentStatusChanged>;
type RefundEvent = z.output<typeof refundEvent>;

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
 * is announced by an accounting event in the same transaction (services/accounting-events.ts). What
 * reconciliation needs is kept beside: each refund's record, and payments that failed once a provider had named them.
 */
export class LedgerPosting {
  constructor(private readonly options: LedgerPostingOptions) {}

  /** Runs inside the inbox's transaction (lib/events/inbox.ts applyOnce), so it happens once per event. */
  apply(tx: Em, event: EventEnvelope): Promise<void> {
    return this.applyBatch(tx, [event]);
  }

  /**
   * Books events of one inbox transaction, in order: the chain is locked once, and the journals they
   * post are written together when the last is booked (LedgerWriter.finish).
   */
  async applyBatch(tx: Em, events: readonly EventEnvelope[]): Promise<void> {
    if (events.length > 1) await this.lockSettlementsOfRefunds(tx, events);
    const writer = new LedgerWriter(tx, this.options.dialect, this.options.clock);
    for (const event of events) await this.book(tx, writer, event);
    await writer.finish();
  }

  /**
   * A refund locks its payment's settlement before the chain, the order settleDue takes them in; in a
   * batch the chain is locked by the first journal, so every refund's settlement is locked before it.
   */
  private async lockSettlementsOfRefunds(tx: Em, events: readonly EventEnvelope[]): Promise<void> {
    if (this.options.dialect !== 'postgresql') return;
    const paymentIds = events.filter((event) => event.type === 'refund.succeeded').map((event) => parseEventPayload(refundEvent, event).paymentId);
    if (paymentIds.length === 0) return;
    await tx.createQueryBuilder(Settlement).select(['paymentId']).where({ paymentId: { $in: paymentIds } }).setLockMode(LockMode.PESSIMISTIC_WRITE).execute('all');
  }

  private async book(tx: Em, writer: LedgerWriter, event: EventEnvelope): Promise<void> {
    switch (event.type) {
      case 'payment.status_changed':
        return this.statusChanged(tx, writer, event);
      case 'refund.created':
        return void (await this.refundRecord(tx, parseEventPayload(refundEvent, event)));
      case 'refund.succeeded':
        return this.refund(tx, writer, event);
      case 'refund.failed': {
        const record = await this.refundRecord(tx, parseEventPayload(refundEvent, event));
        record.status = 'FAILED';
      }
    }
  }

  private async statusChanged(tx: Em, writer: LedgerWriter, event: EventEnvelope): Promise<void> {
    const payment = parseEventPayload(paymentStatusChanged, event);
    if (payment.status === 'SUCCEEDED' && isPositive(money(payment.amountReceived, payment.currency))) await this.capture(tx, writer, event, payment);
    else if ((payment.status === 'FAILED' || payment.status === 'CANCELED') && payment.providerReference) {
      const { paymentId, merchantId, channel, currency, amount, status, providerReference } = payment;
      // the first end a provider named is kept; a later one changes nothing
      await tx
        .createQueryBuilder(FailedPayment)
        .insert({ paymentId, merchantId, channel, currency, amount, status, providerReference, endedAt: new Date(event.occurredAt) })
        .onConflict(['paymentId'])
        .ignore()
        .execute('run');
    }
  }

  private async capture(tx: Em, writer: LedgerWriter, event: EventEnvelope, payment: PaymentStatusChanged): Promise<void> {
    const occurredAt = new Date(event.occurredAt);
    const { paymentId, merchantId, channel, currency, providerReference } = payment;
    const captured = money(payment.amountReceived, currency);
    const fee = computeFee(this.options.fees, channel, captured);
    const figures: PaymentFigures = {
      paymentId, merchantId, channel, currency, captured: captured.minor, fee: fee.minor, refunded: 0n, capturedAt: occurredAt, eventSequence: 0, providerReference,
    };
    const journal = await writer.post(captureJournal(payment, captured, fee, { eventId: event.id, occurredAt }));
    recordPaymentBooked(tx, figures, journal);
    // written once the event has its sequence; its primary key refuses a second capture of the payment
    const written = await tx.createQueryBuilder(PaymentFigures).insert(figures).onConflict(['paymentId']).ignore().execute('run');
    // SUCCEEDED is final: a second one would be a bug upstream, and booking it twice would be worse.
    if (written.affectedRows === 0) throw new Error(`payment ${paymentId} was already captured; event ${event.id} is a second capture`);
    await tx
      .createQueryBuilder(Settlement)
      .insert({ paymentId, merchantId, currency, amount: subtract(captured, fee).minor, settleAt: new Date(occurredAt.getTime() + this.options.settlementDelayMs), settledAt: null })
      .execute('run');
  }

  private async refund(tx: Em, writer: LedgerWriter, event: EventEnvelope): Promise<void> {
    const refund = parseEventPayload(refundEvent, event);
    const figures = await this.figuresOf(tx, refund);
    const record = await this.refundRecord(tx, refund, figures);
    record.status = 'SUCCEEDED';
    record.succeededAt = new Date(event.occurredAt);
    // Locked before the chain (the order every writer takes them in), so settleDue cannot settle the
    // amount this refund is taking out of pending.
    const settlement = await tx.findOneOrFail(
      Settlement,
      { paymentId: refund.paymentId },
      this.options.dialect === 'postgresql' ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
    const settled = settlement.settledAt !== null;
    const amount = money(refund.amount, refund.currency);
    if (!settled) settlement.amount = subtract(money(settlement.amount, settlement.currency), amount).minor;
    figures.refunded = add(money(figures.refunded, figures.currency), amount).minor;
    const journal = await writer.post(refundJournal(figures, amount, settled, { eventId: event.id, occurredAt: new Date(event.occurredAt) }));
    recordRefundBooked(tx, figures, refund.refundId, amount, journal);
  }

  private async figuresOf(tx: Em, refund: RefundEvent): Promise<PaymentFigures> {
    const figures = await tx.findOne(PaymentFigures, { paymentId: refund.paymentId });
    if (!figures) throw new Error(`refund ${refund.refundId} of payment ${refund.paymentId}, which was never captured`);
    if (figures.currency !== refund.currency) throw new Error(`refund ${refund.refundId} is in ${refund.currency}, its payment in ${figures.currency}`);
    return figures;
  }

  /** The refund's record, created by its first event (refund.created; refunds from before records existed: the next one). */
  private async refundRecord(tx: Em, refund: RefundEvent, known?: PaymentFigures): Promise<RefundRecord> {
    const existing = await tx.findOne(RefundRecord, { refundId: refund.refundId });
    const record = existing ?? newRefundRecord(tx, refund, known ?? (await this.figuresOf(tx, refund)));
    if (refund.providerReference) record.providerReference = refund.providerReference;
    return record;
  }
}

function newRefundRecord(tx: Em, refund: RefundEvent, figures: PaymentFigures): RefundRecord {
  const { refundId, paymentId, merchantId, currency, amount, createdAt } = refund;
  return tx.create(RefundRecord, {
    refundId, paymentId, merchantId, channel: figures.channel, currency, amount, status: 'PENDING', providerReference: null, createdAt, succeededAt: null,
  });
}

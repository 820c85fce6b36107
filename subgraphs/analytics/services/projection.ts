import { LockMode } from '@mikro-orm/core';
import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import { parseEventPayload } from '../../../lib/events/event-contract.js';
import type { EventEnvelope } from '../../../lib/events/event.js';
import { bookingPayload } from '../../accounting/contract/events.js';
import { paymentStatePayload, refundPayload } from '../../payment/contract/events.js';
import { add, money, subtract } from '../../../lib/money.js';
import { PaymentFact } from '../entities/PaymentFact.js';
import { applyRollupDeltas, contributionOf, rollupDeltas } from './rollup.js';

/** Who the payment is, known from either stream: enough to create its fact before the rest arrives. */
interface FactIdentity {
  paymentId: string;
  merchantId: string;
  channel: string;
  currency: string;
}

/** What the metrics read of the payment's and accounting's events. */
const paymentState = paymentStatePayload.pick({ paymentId: true, merchantId: true, channel: true, currency: true, amount: true, amountReceived: true, status: true, createdAt: true });
const refundSucceeded = refundPayload.pick({ refundId: true, paymentId: true, currency: true, amount: true });
/** accounting.payment_booked and accounting.refund_booked */
const bookingEvent = bookingPayload.pick({ paymentId: true, merchantId: true, channel: true, currency: true, fee: true });

/**
 * Keeps the facts and the hourly rollup current from the payment events and accounting's events.
 * Every change to a fact moves its contribution in the rollup in the same transaction (the inbox's,
 * lib/events/inbox.ts applyOnce), so both change exactly once per event, together.
 */
export class MetricsProjection {
  constructor(
    private readonly dialect: Dialect,
    private readonly clock: Clock,
  ) {}

  async applyPaymentEvent(tx: Em, event: EventEnvelope): Promise<void> {
    if (event.type === 'payment.created' || event.type === 'payment.status_changed') {
      const payment = parseEventPayload(paymentState, event);
      await this.change(tx, await this.factOf(tx, payment), (fact) => {
        // The payment's own events are the authority on who it is; accounting's only repeat it.
        Object.assign(fact, { merchantId: payment.merchantId, channel: payment.channel, currency: payment.currency });
        fact.status = payment.status;
        fact.createdAt = payment.createdAt;
        fact.amount = payment.amount;
        fact.captured = payment.amountReceived;
      });
    } else if (event.type === 'refund.succeeded') {
      const refund = parseEventPayload(refundSucceeded, event);
      const fact = await this.lock(tx, refund.paymentId);
      // The payment's events come in order (the inbox enforces it): its fact exists before its refunds.
      if (!fact?.createdAt) throw new Error(`refund ${refund.refundId} of payment ${refund.paymentId}, which analytics has not seen created`);
      if (fact.currency !== refund.currency) throw new Error(`refund ${refund.refundId} is in ${refund.currency}, its payment in ${fact.currency}`);
      await this.change(tx, fact, (f) => void (f.refunded = add(money(f.refunded, f.currency), money(refund.amount, refund.currency)).minor));
    }
  }

  /** A fee booked with a capture is revenue; one booked with a refund is a fee given back (zero today). */
  async applyAccountingEvent(tx: Em, event: EventEnvelope): Promise<void> {
    if (event.type === 'accounting.payment_booked') {
      const booking = parseEventPayload(bookingEvent, event);
      await this.change(tx, await this.factOf(tx, booking), (fact) => void (fact.fee = add(money(fact.fee, fact.currency), money(booking.fee, booking.currency)).minor));
    } else if (event.type === 'accounting.refund_booked') {
      const booking = parseEventPayload(bookingEvent, event);
      await this.change(tx, await this.factOf(tx, booking), (fact) => void (fact.fee = subtract(money(fact.fee, fact.currency), money(booking.fee, booking.currency)).minor));
    }
  }

  /** Applies `edit` to a locked fact and moves the payment's contribution in the rollup accordingly. */
  private async change(tx: Em, fact: PaymentFact, edit: (fact: PaymentFact) => void): Promise<void> {
    const before = contributionOf(fact);
    edit(fact);
    fact.updatedAt = this.clock.now();
    await applyRollupDeltas(tx, rollupDeltas(before, contributionOf(fact)));
  }

  /** The payment's fact, locked; created first if this event is the first news of the payment. */
  private async factOf(tx: Em, identity: FactIdentity): Promise<PaymentFact> {
    return (await this.lock(tx, identity.paymentId)) ?? (await this.create(tx, identity));
  }

  private lock(tx: Em, paymentId: string): Promise<PaymentFact | null> {
    return tx.findOne(PaymentFact, { paymentId }, this.dialect === 'postgresql' ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  }

  /** Inserts an empty fact unless another transaction just did (each stream may be first), then locks it. */
  private async create(tx: Em, { paymentId, merchantId, channel, currency }: FactIdentity): Promise<PaymentFact> {
    await tx
      .createQueryBuilder(PaymentFact)
      .insert({ paymentId, merchantId, channel, currency, status: null, createdAt: null, amount: 0n, captured: 0n, refunded: 0n, fee: 0n, updatedAt: this.clock.now() })
      .onConflict(['paymentId'])
      .ignore()
      .execute();
    const fact = await this.lock(tx, paymentId);
    if (!fact) throw new Error(`payment ${paymentId}: its fact was not created`);
    return fact;
  }
}

import type { Clock } from '../../../lib/clock.js';
import type { Em } from '../../../lib/database.js';
import { parseEventPayload } from '../../../lib/events/event-contract.js';
import type { EventEnvelope } from '../../../lib/events/event.js';
import { selectPlain } from '../../../lib/plain-rows.js';
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

/** One event's change to its payment's fact; `identity` when the event says who the payment is (a refund's does not). */
interface FactChange {
  paymentId: string;
  identity: FactIdentity | null;
  edit: (fact: PaymentFact) => void;
}

const factColumns = ['paymentId', 'merchantId', 'channel', 'currency', 'status', 'createdAt', 'amount', 'captured', 'refunded', 'fee', 'updatedAt'] as const;

/**
 * Keeps the facts and the rollups current from the payment events and accounting's events, a batch at
 * a time, in the caller's transaction (the inbox's, so both change exactly once per event, together):
 * one statement locks (creating where missing) and reads every fact the batch touches, the events
 * change them in memory in their order, one statement writes them back, and one upsert per rollup adds
 * the batch's net change to each touched row, however many events touch it.
 */
export class MetricsProjection {
  constructor(private readonly clock: Clock) {}

  async applyBatch(tx: Em, events: readonly EventEnvelope[]): Promise<void> {
    // every payload is read before any statement: a malformed event fails the batch at once
    const changes = events.flatMap((event) => changeOf(event) ?? []);
    if (changes.length === 0) return;
    const now = this.clock.now();
    const facts = await this.lockFacts(tx, changes, now);
    const before = new Map([...facts].map(([paymentId, fact]) => [paymentId, contributionOf(fact)]));
    for (const { paymentId, edit } of changes) {
      const fact = facts.get(paymentId)!;
      edit(fact);
      fact.updatedAt = now;
    }
    const touched = [...facts.values()];
    await tx
      .createQueryBuilder(PaymentFact)
      .insert(touched)
      .onConflict(['paymentId'])
      .merge(factColumns.filter((column) => column !== 'paymentId'))
      .execute();
    await applyRollupDeltas(tx, rollupDeltas(touched.map((fact) => ({ before: before.get(fact.paymentId) ?? null, after: contributionOf(fact) }))));
  }

  /**
   * The touched facts, locked until the transaction ends (SQLite has one writer), in payment id order
   * (concurrent batches lock them in one order): an upsert that inserts an empty fact where this is the
   * first news of the payment (each stream may be first) and returns every row. A payment named only
   * by a refund gets a placeholder identity: its fact must exist already, and the refund's check
   * fails the batch (taking the insert back) when it does not.
   */
  private async lockFacts(tx: Em, changes: readonly FactChange[], now: Date): Promise<Map<string, PaymentFact>> {
    const identities = new Map<string, FactIdentity>();
    for (const { paymentId, identity } of changes) if (identity && !identities.has(paymentId)) identities.set(paymentId, identity);
    const paymentIds = [...new Set(changes.map((change) => change.paymentId))].sort();
    const empty = paymentIds.map((paymentId) => ({
      ...(identities.get(paymentId) ?? { paymentId, merchantId: '', channel: '', currency: 'XXX' }),
      status: null,
      createdAt: null,
      amount: 0n,
      captured: 0n,
      refunded: 0n,
      fee: 0n,
      updatedAt: now,
    }));
    const rows = await selectPlain(
      tx,
      PaymentFact,
      tx.createQueryBuilder(PaymentFact).insert(empty).onConflict(['paymentId']).merge(['updatedAt']).returning([...factColumns]),
    );
    return new Map(rows.map((row) => [row.paymentId, row]));
  }
}

const identityOf = ({ paymentId, merchantId, channel, currency }: FactIdentity): FactIdentity => ({ paymentId, merchantId, channel, currency });

/** The change an event makes to its payment's fact; null for an event the metrics do not count. */
function changeOf(event: EventEnvelope): FactChange | null {
  if (event.source === 'payment') return paymentChange(event);
  if (event.source === 'accounting') return accountingChange(event);
  throw new Error(`analytics does not consume events of ${event.source}`);
}

function paymentChange(event: EventEnvelope): FactChange | null {
  if (event.type === 'payment.created' || event.type === 'payment.status_changed') {
    const payment = parseEventPayload(paymentState, event);
    return {
      paymentId: payment.paymentId,
      identity: identityOf(payment),
      edit: (fact) => {
        // The payment's own events are the authority on who it is; accounting's only repeat it.
        Object.assign(fact, { merchantId: payment.merchantId, channel: payment.channel, currency: payment.currency });
        fact.status = payment.status;
        fact.createdAt = payment.createdAt;
        fact.amount = payment.amount;
        fact.captured = payment.amountReceived;
      },
    };
  }
  if (event.type === 'refund.succeeded') {
    const refund = parseEventPayload(refundSucceeded, event);
    return {
      paymentId: refund.paymentId,
      identity: null,
      edit: (fact) => {
        // The payment's events come in order (the inbox enforces it): its fact exists before its refunds.
        if (!fact.createdAt) throw new Error(`refund ${refund.refundId} of payment ${refund.paymentId}, which analytics has not seen created`);
        if (fact.currency !== refund.currency) throw new Error(`refund ${refund.refundId} is in ${refund.currency}, its payment in ${fact.currency}`);
        fact.refunded = add(money(fact.refunded, fact.currency), money(refund.amount, refund.currency)).minor;
      },
    };
  }
  return null;
}

/** A fee booked with a capture is revenue; one booked with a refund is a fee given back (zero today). */
function accountingChange(event: EventEnvelope): FactChange | null {
  if (event.type !== 'accounting.payment_booked' && event.type !== 'accounting.refund_booked') return null;
  const booking = parseEventPayload(bookingEvent, event);
  const fee = money(booking.fee, booking.currency);
  const apply = event.type === 'accounting.payment_booked' ? add : subtract;
  return { paymentId: booking.paymentId, identity: identityOf(booking), edit: (fact) => void (fact.fee = apply(money(fact.fee, fact.currency), fee).minor) };
}

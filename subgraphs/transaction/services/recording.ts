import type { Clock } from '../../../lib/clock.js';
import type { Em } from '../../../lib/database.js';
import { parseEventPayload } from '../../../lib/events/event-contract.js';
import type { EventEnvelope } from '../../../lib/events/event.js';
import { paymentBookedPayload, refundBookedPayload } from '../../accounting/contract/events.js';
import { refundPayload } from '../../payment/contract/events.js';
import { newId } from '../../../lib/ids.js';
import { selectPlain } from '../../../lib/plain-rows.js';
import { RefundBooking } from '../entities/RefundBooking.js';
import { TransactionRecord, transactionStatuses, type TransactionStatus } from '../entities/TransactionRecord.js';
import { directionOf } from './movements.js';
import { assertTransition, canTransition } from './status-machine.js';
import { nextTradeNo } from './trade-numbers.js';

export interface TransactionRecorderOptions {
  clock: Clock;
}

/** What the transaction records read of the payment's and accounting's events. */
const refundEvent = refundPayload.pick({ refundId: true, paymentId: true, merchantId: true, channel: true, currency: true, amount: true, createdAt: true });
const paymentBooked = paymentBookedPayload.pick({ paymentId: true, merchantId: true, channel: true, currency: true, amount: true, fee: true, net: true, capturedAt: true, bookedAt: true });
const refundBooked = refundBookedPayload.pick({ paymentId: true, refundId: true, currency: true, amount: true, fee: true, net: true, bookedAt: true });

/**
 * Builds the transaction records from the events, inside the inbox's transaction (so once per event):
 * - accounting.payment_booked: a PAYMENT (INCOME) record, SUCCEEDED, with accounting's amount, fee and net;
 * - refund.created: a REFUND (EXPENSE) record, PENDING, fee 0 and net the amount until accounting books it;
 * - refund.succeeded / refund.failed: the refund record's status;
 * - accounting.refund_booked: the refund record's fee and net from accounting.
 * The payment stream and accounting's are independent: a refund can be booked before its
 * refund.created is consumed (both lock the refund's RefundBooking row, where the figures wait), and
 * a refund's record does not need its payment's.
 */
export class TransactionRecorder {
  constructor(private readonly options: TransactionRecorderOptions) {}

  async apply(tx: Em, event: EventEnvelope): Promise<void> {
    switch (event.type) {
      case 'accounting.payment_booked':
        return this.paymentBooked(tx, event);
      case 'refund.created':
        return this.refundCreated(tx, event);
      case 'refund.succeeded':
        return this.refundEnded(tx, event, 'SUCCEEDED');
      case 'refund.failed':
        return this.refundEnded(tx, event, 'FAILED');
      case 'accounting.refund_booked':
        return this.refundBooked(tx, event);
      default:
        // payment.created, payment.status_changed: no money moved, or accounting's booking says so
        return;
    }
  }

  private async paymentBooked(tx: Em, event: EventEnvelope): Promise<void> {
    const booked = parseEventPayload(paymentBooked, event);
    await this.create(tx, {
      type: 'PAYMENT',
      movementId: booked.paymentId,
      paymentId: booked.paymentId,
      refundId: null,
      merchantId: booked.merchantId,
      channel: booked.channel,
      currency: booked.currency,
      amount: booked.amount,
      fee: booked.fee,
      net: booked.net,
      status: 'SUCCEEDED',
      occurredAt: booked.capturedAt,
    });
  }

  private async refundCreated(tx: Em, event: EventEnvelope): Promise<void> {
    const refund = parseEventPayload(refundEvent, event);
    const booking = await this.lockRefund(tx, refund.refundId, refund.paymentId);
    const booked = booking.bookedAt && typeof booking.fee === 'bigint' && typeof booking.net === 'bigint' ? { fee: booking.fee, net: booking.net } : null;
    if (booked) assertSameRefund(booking, refund.currency, refund.amount, refund.refundId);
    await this.create(tx, {
      type: 'REFUND',
      movementId: refund.refundId,
      paymentId: refund.paymentId,
      refundId: refund.refundId,
      merchantId: refund.merchantId,
      channel: refund.channel,
      currency: refund.currency,
      amount: refund.amount,
      fee: booked?.fee ?? 0n,
      net: booked?.net ?? refund.amount,
      status: 'PENDING',
      occurredAt: refund.createdAt,
    });
  }

  private async refundEnded(tx: Em, event: EventEnvelope, status: TransactionStatus): Promise<void> {
    const refund = parseEventPayload(refundEvent, event);
    // One statement: the update only applies from a status that may become `status`.
    const from = transactionStatuses.filter((current) => canTransition(current, status));
    const changed = await tx
      .createQueryBuilder(TransactionRecord)
      .update({ status, updatedAt: this.options.clock.now() })
      .where({ movementId: refund.refundId, status: { $in: from } })
      .execute('run');
    if (changed.affectedRows === 1) return;
    // refund.created comes first on the same payment's stream, so the record exists: say what stood in the way.
    const record = await tx.findOneOrFail(TransactionRecord, { movementId: refund.refundId });
    assertTransition(record.status, status, `refund ${refund.refundId}`);
    throw new Error(`refund ${refund.refundId}: its record did not change to ${status}`);
  }

  private async refundBooked(tx: Em, event: EventEnvelope): Promise<void> {
    const booked = parseEventPayload(refundBooked, event);
    const { refundId, paymentId, currency, amount, fee, net, bookedAt } = booked;
    // Writing the figures locks the refund's row: refund.created either committed its record before, or waits and then finds them.
    await tx
      .createQueryBuilder(RefundBooking)
      .insert({ refundId, paymentId, currency, amount, fee, net, bookedAt })
      .onConflict(['refundId'])
      .merge(['currency', 'amount', 'fee', 'net', 'bookedAt'])
      .execute();
    const [record] = await selectPlain(
      tx,
      TransactionRecord,
      tx
        .createQueryBuilder(TransactionRecord)
        .update({ fee, net, updatedAt: this.options.clock.now() })
        .where({ movementId: refundId })
        .returning(['currency', 'amount']),
    );
    // a mismatch throws, and the transaction takes the update back
    if (record) assertSameRefund(booked, record.currency, record.amount, refundId);
  }

  /**
   * The refund's row, created by whichever stream comes first, locked until the transaction ends
   * (SQLite has one writer), in one statement: an upsert that changes nothing and returns the row.
   */
  private async lockRefund(tx: Em, refundId: string, paymentId: string): Promise<RefundBooking> {
    const [booking] = await selectPlain(
      tx,
      RefundBooking,
      tx
        .createQueryBuilder(RefundBooking)
        .insert({ refundId, paymentId, currency: null, amount: null, fee: null, net: null, bookedAt: null })
        .onConflict(['refundId'])
        .merge(['refundId'])
        .returning(['refundId', 'paymentId', 'currency', 'amount', 'fee', 'net', 'bookedAt']),
    );
    if (!booking) throw new Error(`refund ${refundId}: its booking row was not returned`);
    return booking;
  }

  private async create(tx: Em, movement: Omit<TransactionRecord, 'id' | 'tradeNo' | 'direction' | 'createdAt' | 'updatedAt'>): Promise<void> {
    const now = this.options.clock.now();
    const tradeNo = await nextTradeNo(tx, movement.occurredAt);
    await tx
      .createQueryBuilder(TransactionRecord)
      .insert({ ...movement, id: newId('txn', now.getTime()), tradeNo, direction: directionOf[movement.type], createdAt: now, updatedAt: now })
      .execute();
  }
}

/** Accounting booked the refund the payment subgraph reported: anything else is a bug upstream, not to be hidden. */
function assertSameRefund(booked: { currency?: string | null; amount?: bigint | null }, currency: string, amount: bigint, refundId: string): void {
  if (booked.currency !== currency || booked.amount !== amount) {
    throw new Error(`refund ${refundId}: booked ${booked.amount} ${booked.currency}, recorded ${amount} ${currency}`);
  }
}

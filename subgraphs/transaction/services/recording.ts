import { LockMode } from '@mikro-orm/core';
import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import { parseEventPayload } from '../../../lib/events/event-contract.js';
import type { EventEnvelope } from '../../../lib/events/event.js';
import { paymentBookedPayload, refundBookedPayload } from '../../accounting/contract/events.js';
import { refundPayload } from '../../payment/contract/events.js';
import { newId } from '../../../lib/ids.js';
import { RefundBooking } from '../entities/RefundBooking.js';
import { TransactionRecord, type TransactionStatus } from '../entities/TransactionRecord.js';
import { directionOf } from './movements.js';
import { assertTransition } from './status-machine.js';
import { nextTradeNo } from './trade-numbers.js';

export interface TransactionRecorderOptions {
  dialect: Dialect;
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
    // refund.created comes first on the same payment's stream, so the record exists.
    const record = await tx.findOneOrFail(TransactionRecord, { movementId: refund.refundId });
    assertTransition(record.status, status, `refund ${refund.refundId}`);
    record.status = status;
    record.updatedAt = this.options.clock.now();
  }

  private async refundBooked(tx: Em, event: EventEnvelope): Promise<void> {
    const booked = parseEventPayload(refundBooked, event);
    const booking = await this.lockRefund(tx, booked.refundId, booked.paymentId);
    booking.currency = booked.currency;
    booking.amount = booked.amount;
    booking.fee = booked.fee;
    booking.net = booked.net;
    booking.bookedAt = booked.bookedAt;
    // Read under the refund's lock: refund.created either committed its record before, or waits and then finds the figures.
    const record = await tx.findOne(TransactionRecord, { movementId: booked.refundId });
    if (!record) return;
    assertSameRefund(booked, record.currency, record.amount, booked.refundId);
    record.fee = booked.fee;
    record.net = booked.net;
    record.updatedAt = this.options.clock.now();
  }

  /** The refund's row, created by whichever stream comes first, locked until the transaction ends (SQLite has one writer). */
  private async lockRefund(tx: Em, refundId: string, paymentId: string): Promise<RefundBooking> {
    await tx
      .createQueryBuilder(RefundBooking)
      .insert({ refundId, paymentId, currency: null, amount: null, fee: null, net: null, bookedAt: null })
      .onConflict(['refundId'])
      .ignore()
      .execute();
    return tx.findOneOrFail(RefundBooking, { refundId }, this.options.dialect === 'postgresql' ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  }

  private async create(
    tx: Em,
    movement: Omit<TransactionRecord, 'id' | 'tradeNo' | 'direction' | 'createdAt' | 'updatedAt'>,
  ): Promise<TransactionRecord> {
    const now = this.options.clock.now();
    const tradeNo = await nextTradeNo(tx, this.options.dialect, movement.occurredAt);
    return tx.create(TransactionRecord, {
      ...movement,
      id: newId('txn', now.getTime()),
      tradeNo,
      direction: directionOf[movement.type],
      createdAt: now,
      updatedAt: now,
    });
  }
}

/** Accounting booked the refund the payment subgraph reported: anything else is a bug upstream, not to be hidden. */
function assertSameRefund(booked: { currency?: string | null; amount?: bigint | null }, currency: string, amount: bigint, refundId: string): void {
  if (booked.currency !== currency || booked.amount !== amount) {
    throw new Error(`refund ${refundId}: booked ${booked.amount} ${booked.currency}, recorded ${amount} ${currency}`);
  }
}

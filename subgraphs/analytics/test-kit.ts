/** Helpers for the analytics unit tests: events shaped as payment and accounting write them, and a throwaway database. */
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../../lib/database.js';
import { exactlyOnce } from '../../lib/events/consumer.js';
import type { EventEnvelope } from '../../lib/events/event.js';
import { money, subtract } from '../../lib/money.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { ANALYTICS_CONSUMER, metricsEffect } from './services/consumers.js';
import { openSqliteTestDatabase, type TestDatabase } from '../../test/support/database.js';

export interface TestPayment {
  paymentId: string;
  merchantId: string;
  channel?: string;
  currency?: string;
  /** minor units */
  amount: bigint;
  createdAt: Date;
}

/** Events of one source with gapless per-payment sequences, as an outbox relay publishes them. */
class EventSource {
  private outboxId = 0;
  private readonly sequences = new Map<string, number>();
  constructor(private readonly source: string) {}

  event(aggregateId: string, type: string, payload: Record<string, unknown>, at: Date): EventEnvelope {
    const sequence = (this.sequences.get(aggregateId) ?? 0) + 1;
    this.sequences.set(aggregateId, sequence);
    this.outboxId += 1;
    return { id: `${this.source}:${this.outboxId}`, source: this.source, position: this.outboxId, type, aggregateType: 'payment', aggregateId, sequence, occurredAt: at.toISOString(), payload };
  }
}

/** The payment subgraph's events (subgraphs/payment/services/payment-events.ts). */
export class PaymentEvents extends EventSource {
  constructor() {
    super('payment');
  }

  created(payment: TestPayment): EventEnvelope {
    return this.event(payment.paymentId, 'payment.created', paymentPayload(payment, 'REQUIRES_CONFIRMATION', null, 0n), payment.createdAt);
  }

  statusChanged(payment: TestPayment, previousStatus: string, status: string, at: Date, received = 0n): EventEnvelope {
    return this.event(payment.paymentId, 'payment.status_changed', paymentPayload(payment, status, previousStatus, received), at);
  }

  refund(payment: TestPayment, type: 'refund.created' | 'refund.succeeded' | 'refund.failed', refundId: string, amount: bigint, at: Date): EventEnvelope {
    const status = { 'refund.created': 'PENDING', 'refund.succeeded': 'SUCCEEDED', 'refund.failed': 'FAILED' }[type];
    return this.event(
      payment.paymentId,
      type,
      {
        refundId,
        paymentId: payment.paymentId,
        merchantId: payment.merchantId,
        channel: payment.channel ?? 'CARD',
        currency: payment.currency ?? 'USD',
        amount: amount.toString(),
        status,
        failureCode: null,
        createdAt: at.toISOString(),
      },
      at,
    );
  }
}

function paymentPayload(payment: TestPayment, status: string, previousStatus: string | null, received: bigint) {
  return {
    paymentId: payment.paymentId,
    merchantId: payment.merchantId,
    channel: payment.channel ?? 'CARD',
    captureMethod: 'AUTOMATIC',
    currency: payment.currency ?? 'USD',
    amount: payment.amount.toString(),
    amountCapturable: '0',
    amountReceived: received.toString(),
    amountRefunded: '0',
    status,
    previousStatus,
    failureCode: null,
    createdAt: payment.createdAt.toISOString(),
  };
}

/** Accounting's events (the accounting events' spec: accounting.payment_booked, accounting.refund_booked). */
export class AccountingEvents extends EventSource {
  constructor() {
    super('accounting');
  }

  paymentBooked(payment: TestPayment, amount: bigint, fee: bigint, at: Date): EventEnvelope {
    return this.event(payment.paymentId, 'accounting.payment_booked', { ...booking(payment, amount, fee, at), journalId: `jrn_${payment.paymentId}` }, at);
  }

  refundBooked(payment: TestPayment, refundId: string, amount: bigint, fee: bigint, at: Date): EventEnvelope {
    return this.event(payment.paymentId, 'accounting.refund_booked', { ...booking(payment, amount, fee, at), refundId, journalId: `jrn_${refundId}` }, at);
  }
}

function booking(payment: TestPayment, amount: bigint, fee: bigint, at: Date) {
  return {
    paymentId: payment.paymentId,
    merchantId: payment.merchantId,
    channel: payment.channel ?? 'CARD',
    currency: payment.currency ?? 'USD',
    amount: amount.toString(),
    fee: fee.toString(),
    net: subtract(money(amount, payment.currency ?? 'USD'), money(fee, payment.currency ?? 'USD')).minor.toString(),
    bookedAt: at.toISOString(),
  };
}

/** The analytics database on SQLite in a temporary directory, migrated; `remove` closes and deletes it. */
export function openTestDatabase(onQuery?: (sql: string) => void): Promise<TestDatabase> {
  return openSqliteTestDatabase({ name: 'analytics', entities, migrations, onQuery });
}

/** The two streams' consumers over a test database, wired as index.ts wires them. */
export function testConsumers(database: Database, clock: Clock) {
  const handle = exactlyOnce({ ...ANALYTICS_CONSUMER, fork: () => database.fork(), dialect: database.dialect, apply: metricsEffect(database.dialect, clock) });
  return { payment: handle, accounting: handle };
}

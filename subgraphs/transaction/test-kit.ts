/** Helpers for the transaction unit tests: payment and accounting events shaped as their subgraphs write them, and a throwaway database. */
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../../lib/database.js';
import { money, subtract } from '../../lib/money.js';
import type { EventEnvelope } from '../../lib/events/event.js';
import { exactlyOnce } from '../../lib/events/consumer.js';
import { entities } from './entities/index.js';
import { TransactionRecord } from './entities/TransactionRecord.js';
import { TRANSACTION_CONSUMER } from './index.js';
import { migrations } from './migrations/index.js';
import { TransactionRecorder } from './services/recording.js';
import { openSqliteTestDatabase, type TestDatabase } from '../../test/support/database.js';

export interface TestPayment {
  paymentId: string;
  merchantId: string;
  channel?: string;
  currency?: string;
}

/** Events of one source with gapless per-payment sequences, as its outbox relay publishes them. */
export class SourceEvents {
  private outboxId = 0;
  private readonly sequences = new Map<string, number>();

  constructor(readonly source: 'payment' | 'accounting') {}

  event(paymentId: string, type: string, payload: Record<string, unknown>, at: Date): EventEnvelope {
    const sequence = (this.sequences.get(paymentId) ?? 0) + 1;
    this.sequences.set(paymentId, sequence);
    this.outboxId += 1;
    return {
      id: `${this.source}:${this.outboxId}`,
      source: this.source,
      position: this.outboxId,
      type,
      aggregateType: 'payment',
      aggregateId: paymentId,
      sequence,
      occurredAt: at.toISOString(),
      payload,
    };
  }
}

const ref = (payment: TestPayment) => ({
  paymentId: payment.paymentId,
  merchantId: payment.merchantId,
  channel: payment.channel ?? 'CARD',
  currency: payment.currency ?? 'USD',
});

/** payment.created, refund.* as subgraphs/payment/services/payment-events.ts writes them. */
export class PaymentStream extends SourceEvents {
  constructor() {
    super('payment');
  }

  created(payment: TestPayment, amount: bigint, at: Date): EventEnvelope {
    return this.event(payment.paymentId, 'payment.created', { ...ref(payment), amount: amount.toString(), status: 'REQUIRES_CONFIRMATION', createdAt: at.toISOString() }, at);
  }

  refund(payment: TestPayment, type: 'refund.created' | 'refund.succeeded' | 'refund.failed', refundId: string, amount: bigint, createdAt: Date, at = createdAt): EventEnvelope {
    const status = { 'refund.created': 'PENDING', 'refund.succeeded': 'SUCCEEDED', 'refund.failed': 'FAILED' }[type];
    return this.event(
      payment.paymentId,
      type,
      { ...ref(payment), refundId, amount: amount.toString(), status, failureCode: type === 'refund.failed' ? 'PROVIDER_DECLINED' : null, createdAt: createdAt.toISOString() },
      at,
    );
  }
}

/** accounting.payment_booked and accounting.refund_booked as subgraphs/accounting/services/accounting-events.ts writes them. */
export class AccountingStream extends SourceEvents {
  constructor() {
    super('accounting');
  }

  paymentBooked(payment: TestPayment, amount: bigint, fee: bigint, capturedAt: Date, bookedAt = capturedAt): EventEnvelope {
    return this.event(
      payment.paymentId,
      'accounting.payment_booked',
      { ...ref(payment), amount: amount.toString(), fee: fee.toString(), net: subtract(money(amount, ref(payment).currency), money(fee, ref(payment).currency)).minor.toString(), journalId: `jrn_${payment.paymentId}`, capturedAt: capturedAt.toISOString(), bookedAt: bookedAt.toISOString() },
      bookedAt,
    );
  }

  refundBooked(payment: TestPayment, refundId: string, amount: bigint, bookedAt: Date): EventEnvelope {
    return this.event(
      payment.paymentId,
      'accounting.refund_booked',
      { ...ref(payment), refundId, amount: amount.toString(), fee: '0', net: amount.toString(), journalId: `jrn_${refundId}`, bookedAt: bookedAt.toISOString() },
      bookedAt,
    );
  }
}

/** The transaction database on SQLite in a temporary directory, migrated; `remove` closes and deletes it. */
export function openTestDatabase(onQuery?: (sql: string) => void): Promise<TestDatabase> {
  return openSqliteTestDatabase({ name: 'transaction', entities, migrations, onQuery });
}

/** The recorder over a test database, wired as index.ts wires it. */
export function testRecorder(database: Database, clock: Clock) {
  const recorder = new TransactionRecorder({ dialect: database.dialect, clock });
  return {
    handle: exactlyOnce({ ...TRANSACTION_CONSUMER, fork: () => database.fork(), dialect: database.dialect, apply: (tx, event) => recorder.apply(tx, event) }),
    records: () => database.fork().find(TransactionRecord, {}, { orderBy: { occurredAt: 'asc', id: 'asc' } }),
  };
}

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
import { EventSequence, PaymentEvents, type EventPayment } from '../../test/support/payment-events.js';
import type { RefundEventType } from '../payment/contract/events.js';

export type TestPayment = Pick<EventPayment, 'paymentId' | 'merchantId' | 'channel' | 'currency'>;

const ref = (payment: TestPayment) => ({
  paymentId: payment.paymentId,
  merchantId: payment.merchantId,
  channel: payment.channel ?? 'CARD',
  currency: payment.currency ?? 'USD',
});

/** payment.created, refund.* as subgraphs/payment/services/payment-events.ts writes them (test/support/payment-events.ts). */
export class PaymentStream {
  private readonly events = new PaymentEvents();

  created(payment: TestPayment, amount: bigint, at: Date): EventEnvelope {
    return this.events.created({ ...payment, amount, createdAt: at });
  }

  refund(payment: TestPayment, type: RefundEventType, refundId: string, amount: bigint, createdAt: Date, at = createdAt): EventEnvelope {
    return this.events.refund(payment, type, refundId, amount, createdAt, at);
  }
}

/** accounting.payment_booked and accounting.refund_booked as subgraphs/accounting/services/accounting-events.ts writes them. */
export class AccountingStream extends EventSequence {
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
  const recorder = new TransactionRecorder({ clock });
  return {
    handle: exactlyOnce({ ...TRANSACTION_CONSUMER, fork: () => database.fork(), dialect: database.dialect, apply: (tx, event) => recorder.apply(tx, event) }),
    records: () => database.fork().find(TransactionRecord, {}, { orderBy: { occurredAt: 'asc', id: 'asc' } }),
  };
}

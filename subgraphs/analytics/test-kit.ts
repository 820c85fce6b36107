/** Helpers for the analytics unit tests: events shaped as payment and accounting write them, and a throwaway database. */
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../../lib/database.js';
import { exactlyOnce } from '../../lib/events/consumer.js';
import type { EventEnvelope } from '../../lib/events/event.js';
import { money, subtract } from '../../lib/money.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { ANALYTICS_CONSUMER, metricsConsumer } from './services/consumers.js';
import { openSqliteTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { EventSequence, PaymentEvents, type EventPayment } from '../../test/support/payment-events.js';

export { PaymentEvents };

/** A payment of the analytics tests: its amount and creation are always given. */
export interface TestPayment extends EventPayment {
  /** minor units */
  amount: bigint;
  createdAt: Date;
}

/** Accounting's events (the accounting events' spec: accounting.payment_booked, accounting.refund_booked). */
export class AccountingEvents extends EventSequence {
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
  const handle = exactlyOnce({ ...ANALYTICS_CONSUMER, fork: () => database.fork(), dialect: database.dialect, apply: metricsConsumer(clock).apply });
  return { payment: handle, accounting: handle };
}

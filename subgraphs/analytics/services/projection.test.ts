import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventOutOfOrder } from '../../../lib/events/inbox.js';
import { DailyRollup } from '../entities/DailyRollup.js';
import { HourlyRollup } from '../entities/HourlyRollup.js';
import { PaymentFact } from '../entities/PaymentFact.js';
import { AccountingEvents, openTestDatabase, PaymentEvents, testConsumers, type TestPayment } from '../test-kit.js';
import { TestClock } from '../../../test/support/clock.js';

const t0 = new Date('2026-11-22T10:15:00.000Z');
const hour = new Date('2026-11-22T10:00:00.000Z');
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let consume: ReturnType<typeof testConsumers>;
let payments: PaymentEvents;
let accounting: AccountingEvents;

beforeEach(async () => {
  database = await openTestDatabase();
  consume = testConsumers(database, new TestClock(t0));
  payments = new PaymentEvents();
  accounting = new AccountingEvents();
});
afterEach(() => database.remove());

const payment: TestPayment = { paymentId: 'pay_1', merchantId: 'mer_a', amount: 10_000n, createdAt: t0 };
const fact = (paymentId = 'pay_1') => database.fork().findOne(PaymentFact, { paymentId });
/** rollup rows that hold payments, as [status, payments, captured, refunded, fee] */
async function rollup() {
  const rows = await database.fork().find(HourlyRollup, { payments: { $ne: 0 } }, { orderBy: { status: 'asc' } });
  return rows.map((r) => [r.status, r.payments, r.captured, r.refunded, r.fee]);
}

describe('the payment events', () => {
  it('keep one fact per payment and count it in the rollup row of its hour and current status', async () => {
    await consume.payment(payments.created(payment));
    expect(await rollup()).toEqual([['REQUIRES_CONFIRMATION', 1, 0n, 0n, 0n]]);
    await consume.payment(payments.statusChanged(payment, 'REQUIRES_CONFIRMATION', 'PROCESSING', t0));
    await consume.payment(payments.statusChanged(payment, 'PROCESSING', 'SUCCEEDED', t0, 9_000n));
    await consume.payment(payments.refund(payment, 'refund.created', 're_1', 2_500n, t0));
    expect(await rollup()).toEqual([['SUCCEEDED', 1, 9_000n, 0n, 0n]]);
    await consume.payment(payments.refund(payment, 'refund.succeeded', 're_1', 2_500n, t0));
    await consume.payment(payments.refund(payment, 'refund.created', 're_2', 100n, t0));
    await consume.payment(payments.refund(payment, 'refund.failed', 're_2', 100n, t0));
    expect(await rollup()).toEqual([['SUCCEEDED', 1, 9_000n, 2_500n, 0n]]);
    expect(await fact()).toMatchObject({ merchantId: 'mer_a', channel: 'CARD', currency: 'USD', status: 'SUCCEEDED', createdAt: t0, amount: 10_000n, captured: 9_000n, refunded: 2_500n });
    const [row] = await database.fork().find(HourlyRollup, { status: 'SUCCEEDED' });
    expect(row).toMatchObject({
      hourStart: hour,
      dayStart: new Date('2026-11-22T00:00:00.000Z'),
      weekStart: new Date('2026-11-16T00:00:00.000Z'),
      monthStart: new Date('2026-11-01T00:00:00.000Z'),
    });
  });

  it('count the payment in the daily rollup of every merchant too, moved with its status', async () => {
    const other: TestPayment = { paymentId: 'pay_2', merchantId: 'mer_b', amount: 500n, createdAt: new Date('2026-11-22T23:59:59.999Z') };
    await consume.payment(payments.created(payment));
    await consume.payment(payments.created(other));
    await consume.payment(payments.statusChanged(payment, 'REQUIRES_CONFIRMATION', 'SUCCEEDED', t0, 10_000n));
    await consume.payment(payments.statusChanged(other, 'REQUIRES_CONFIRMATION', 'SUCCEEDED', t0, 500n));
    await consume.accounting(accounting.paymentBooked(payment, 10_000n, 320n, t0));
    await consume.payment(payments.refund(payment, 'refund.succeeded', 're_1', 1_000n, t0));
    const rows = await database.fork().find(DailyRollup, {}, { orderBy: { status: 'asc' } });
    expect(rows.map((r) => [r.dayStart.toISOString(), r.channel, r.currency, r.status, r.payments, r.captured, r.refunded, r.fee])).toEqual([
      ['2026-11-22T00:00:00.000Z', 'CARD', 'USD', 'REQUIRES_CONFIRMATION', 0, 0n, 0n, 0n],
      ['2026-11-22T00:00:00.000Z', 'CARD', 'USD', 'SUCCEEDED', 2, 10_500n, 1_000n, 320n],
    ]);
    expect(rows[1]).toMatchObject({ weekStart: new Date('2026-11-16T00:00:00.000Z'), monthStart: new Date('2026-11-01T00:00:00.000Z') });
  });

  it('apply each event once: a redelivered one is a duplicate and counts nothing again', async () => {
    const created = payments.created(payment);
    const succeeded = payments.statusChanged(payment, 'REQUIRES_CONFIRMATION', 'SUCCEEDED', t0, 10_000n);
    const refunded = payments.refund(payment, 'refund.succeeded', 're_1', 1_000n, t0);
    for (const event of [created, succeeded, refunded]) expect(await consume.payment(event)).toBe('applied');
    for (const event of [created, succeeded, refunded]) expect(await consume.payment(event)).toBe('duplicate');
    expect(await rollup()).toEqual([['SUCCEEDED', 1, 10_000n, 1_000n, 0n]]);
  });

  it('refuse an event that comes before its predecessor, which is delivered again later', async () => {
    const created = payments.created(payment);
    const succeeded = payments.statusChanged(payment, 'REQUIRES_CONFIRMATION', 'SUCCEEDED', t0, 10_000n);
    await expect(consume.payment(succeeded)).rejects.toBeInstanceOf(EventOutOfOrder);
    expect(await fact()).toBeNull();
    await consume.payment(created);
    await consume.payment(succeeded);
    expect(await rollup()).toEqual([['SUCCEEDED', 1, 10_000n, 0n, 0n]]);
  });

  it('fail a succeeded refund of a payment never created, rather than count it nowhere', async () => {
    await expect(consume.payment(payments.refund(payment, 'refund.succeeded', 're_1', 1_000n, t0))).rejects.toThrow(/has not seen created/);
    expect(await fact()).toBeNull();
  });
});

describe("accounting's events", () => {
  it('add the booked fee to the payment, and take back a fee returned with a refund', async () => {
    await consume.payment(payments.created(payment));
    await consume.payment(payments.statusChanged(payment, 'REQUIRES_CONFIRMATION', 'SUCCEEDED', t0, 10_000n));
    await consume.accounting(accounting.paymentBooked(payment, 10_000n, 320n, t0));
    await consume.accounting(accounting.refundBooked(payment, 're_1', 5_000n, 0n, t0));
    expect(await rollup()).toEqual([['SUCCEEDED', 1, 10_000n, 0n, 320n]]);
    await consume.accounting(accounting.refundBooked(payment, 're_2', 5_000n, 20n, t0));
    expect(await rollup()).toEqual([['SUCCEEDED', 1, 10_000n, 0n, 300n]]);
  });

  it('may come first: the fee waits on a fact that counts nowhere until the payment is created', async () => {
    await consume.accounting(accounting.paymentBooked(payment, 10_000n, 320n, t0));
    expect(await fact()).toMatchObject({ status: null, createdAt: null, fee: 320n });
    expect(await rollup()).toEqual([]);
    await consume.payment(payments.created(payment));
    expect(await rollup()).toEqual([['REQUIRES_CONFIRMATION', 1, 0n, 0n, 320n]]);
    await consume.payment(payments.statusChanged(payment, 'REQUIRES_CONFIRMATION', 'SUCCEEDED', t0, 10_000n));
    expect(await rollup()).toEqual([['SUCCEEDED', 1, 10_000n, 0n, 320n]]);
  });

  it('are numbered apart from the payment events: the same sequence in both streams is applied in each', async () => {
    const booked = accounting.paymentBooked(payment, 10_000n, 320n, t0);
    const created = payments.created(payment);
    expect([booked.sequence, created.sequence]).toEqual([1, 1]);
    expect(await consume.accounting(booked)).toBe('applied');
    expect(await consume.payment(created)).toBe('applied');
    expect(await consume.accounting(booked)).toBe('duplicate');
    expect(await rollup()).toEqual([['REQUIRES_CONFIRMATION', 1, 0n, 0n, 320n]]);
  });
});

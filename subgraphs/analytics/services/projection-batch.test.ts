import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../lib/events/event.js';
import { DailyRollup } from '../entities/DailyRollup.js';
import { HourlyRollup } from '../entities/HourlyRollup.js';
import { PaymentFact } from '../entities/PaymentFact.js';
import { AccountingEvents, openTestDatabase, PaymentEvents, type TestPayment } from '../test-kit.js';
import { metricsConsumer } from './consumers.js';
import { TestClock } from '../../../test/support/clock.js';

const t0 = new Date('2026-11-22T10:15:00.000Z');
const clock = new TestClock(t0);
let statements: string[];
let batched: Awaited<ReturnType<typeof openTestDatabase>>;
let oneByOne: Awaited<ReturnType<typeof openTestDatabase>>;

beforeEach(async () => {
  statements = [];
  batched = await openTestDatabase((sql) => void statements.push(sql));
  oneByOne = await openTestDatabase();
});
afterEach(async () => {
  await batched.remove();
  await oneByOne.remove();
});

const metrics = metricsConsumer(clock);
const fold = (database: typeof batched, events: EventEnvelope[]) => database.fork().transactional((tx) => metrics.applyBatch(tx, events));

/** What a metrics query can see: the facts (but when they were written) and the rollup rows that hold payments or sums. */
async function state(database: typeof batched) {
  const em = database.fork();
  const facts = (await em.find(PaymentFact, {}, { orderBy: { paymentId: 'asc' } })).map(({ updatedAt: _, ...fact }) => fact);
  const nonEmpty = { $or: [{ payments: { $ne: 0 } }, { captured: { $ne: 0n } }, { refunded: { $ne: 0n } }, { fee: { $ne: 0n } }] };
  const hourly = (await em.find(HourlyRollup, nonEmpty, { orderBy: { merchantId: 'asc', status: 'asc' } })).map((r) => [r.hourStart, r.merchantId, r.status, r.payments, r.captured, r.refunded, r.fee]);
  const daily = (await em.find(DailyRollup, nonEmpty, { orderBy: { status: 'asc' } })).map((r) => [r.dayStart, r.status, r.payments, r.captured, r.refunded, r.fee]);
  return { facts, hourly, daily };
}

const a: TestPayment = { paymentId: 'pay_a', merchantId: 'mer_a', amount: 10_000n, createdAt: t0 };
const b: TestPayment = { paymentId: 'pay_b', merchantId: 'mer_b', amount: 500n, createdAt: new Date('2026-11-22T11:59:59.999Z') };

/** Two payments' lives on both streams, each stream in its order. */
function lives() {
  const payments = new PaymentEvents();
  const accounting = new AccountingEvents();
  return {
    payment: [
      payments.created(a),
      payments.created(b),
      payments.statusChanged(a, 'REQUIRES_CONFIRMATION', 'PROCESSING', t0),
      payments.statusChanged(a, 'PROCESSING', 'SUCCEEDED', t0, 10_000n),
      payments.statusChanged(b, 'REQUIRES_CONFIRMATION', 'SUCCEEDED', t0, 500n),
      payments.refund(a, 'refund.created', 're_1', 2_500n, t0),
      payments.refund(a, 'refund.succeeded', 're_1', 2_500n, t0),
    ],
    accounting: [accounting.paymentBooked(a, 10_000n, 320n, t0), accounting.paymentBooked(b, 500n, 45n, t0), accounting.refundBooked(a, 're_1', 2_500n, 20n, t0)],
  };
}

describe('a batch of events folded at once', () => {
  it('ends where its events applied one at a time end', async () => {
    const { payment, accounting } = lives();
    // accounting first on one side: the streams are independent
    await fold(batched, accounting);
    await fold(batched, payment);
    for (const event of [...payment, ...accounting]) await fold(oneByOne, [event]);
    const expected = await state(oneByOne);
    expect(expected.facts).toHaveLength(2);
    expect(expected.hourly).toEqual([
      [new Date('2026-11-22T10:00:00.000Z'), 'mer_a', 'SUCCEEDED', 1, 10_000n, 2_500n, 300n],
      [new Date('2026-11-22T11:00:00.000Z'), 'mer_b', 'SUCCEEDED', 1, 500n, 0n, 45n],
    ]);
    expect(await state(batched)).toEqual(expected);
  });

  it('costs one read of the facts, one write of them and one upsert per rollup, however many events touch them', async () => {
    const { payment } = lives();
    statements.length = 0;
    await fold(batched, payment);
    const work = statements.filter((sql) => !/^\s*(begin|commit|savepoint|release)/i.test(stripVTControlCharacters(sql).replace(/^\[query\]\s*/, '')));
    expect(work.map((sql) => /into `(\w+)`/.exec(sql)?.[1])).toEqual(['payment_facts', 'payment_facts', 'hourly_rollups', 'daily_rollups']);
  });

  it('leaves out the rows a batch moves a payment through: no empty row for a status it passed', async () => {
    await fold(batched, lives().payment.slice(0, 4));
    const rows = await batched.fork().find(HourlyRollup, {});
    expect(rows.map((r) => [r.merchantId, r.status, r.payments])).toEqual([['mer_a', 'SUCCEEDED', 1], ['mer_b', 'REQUIRES_CONFIRMATION', 1]].sort());
  });

  it('fails whole when one event cannot apply: a refund of a payment it has not seen created leaves nothing', async () => {
    const payments = new PaymentEvents();
    const events = [payments.created(b), payments.refund(a, 'refund.succeeded', 're_1', 1_000n, t0)];
    await expect(fold(batched, events)).rejects.toThrow(/has not seen created/);
    expect(await batched.fork().count(PaymentFact, {})).toBe(0);
    expect(await batched.fork().count(HourlyRollup, {})).toBe(0);
  });

  it('does nothing for a batch of events the metrics do not count', async () => {
    const payments = new PaymentEvents();
    statements.length = 0;
    await fold(batched, [payments.refund(a, 'refund.created', 're_1', 1_000n, t0)]);
    expect(statements.filter((sql) => /insert|select|update/i.test(sql))).toEqual([]);
  });
});

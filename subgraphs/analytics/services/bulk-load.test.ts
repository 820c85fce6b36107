import { afterAll, beforeAll, expect, it } from 'vitest';
import { money, subtract } from '../../../lib/money.js';
import { DailyRollup } from '../entities/DailyRollup.js';
import { HourlyRollup } from '../entities/HourlyRollup.js';
import { PaymentFact } from '../entities/PaymentFact.js';
import { AccountingEvents, openTestDatabase, PaymentEvents, testConsumers, type TestPayment } from '../test-kit.js';
import { TestClock } from '../../../test/support/clock.js';
import { insertFacts, rebuildRollups } from './bulk-load.js';

type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;
let byEvents: TestDatabase;
let inBulk: TestDatabase;

/** Payments across hours, days, a week's and a month's end and a leap day, ended in every way, through the events. */
beforeAll(async () => {
  byEvents = await openTestDatabase();
  inBulk = await openTestDatabase();
  const consume = testConsumers(byEvents, new TestClock(new Date('2028-03-05T00:00:00Z')));
  const payments = new PaymentEvents();
  const accounting = new AccountingEvents();
  const start = new Date('2028-02-26T21:13:00.000Z').getTime();
  const ends = ['SUCCEEDED', 'FAILED', 'CANCELED', 'REQUIRES_CAPTURE', 'REQUIRES_CONFIRMATION'] as const;
  for (let i = 0; i < 120; i++) {
    const payment: TestPayment = {
      paymentId: `pay_${i}`,
      merchantId: `mer_${i % 4}`,
      channel: (['CARD', 'ALIPAY', 'WECHAT_PAY'] as const)[i % 3]!,
      currency: i % 3 === 0 ? ['USD', 'JPY'][i % 2]! : 'CNY',
      amount: BigInt(1000 + i * 37),
      createdAt: new Date(start + i * 97 * 60_000 + (i % 7) * 1_013),
    };
    const at = payment.createdAt;
    await consume.payment(payments.created(payment));
    const end = ends[i % ends.length]!;
    if (end === 'REQUIRES_CONFIRMATION') continue;
    const captured = end === 'SUCCEEDED' ? subtract(money(payment.amount, payment.currency ?? 'USD'), money(BigInt(i % 2), payment.currency ?? 'USD')).minor : 0n;
    await consume.payment(payments.statusChanged(payment, 'REQUIRES_CONFIRMATION', end, at, captured));
    if (end !== 'SUCCEEDED') continue;
    await consume.accounting(accounting.paymentBooked(payment, captured, BigInt(Math.floor(Number(captured) / 40)), at));
    if (i % 4 === 0) await consume.payment(payments.refund(payment, 'refund.succeeded', `re_${i}`, BigInt(Math.floor(Number(captured) / 3)), at));
  }
  // one fact that only accounting has told of: no status, no creation time, counted nowhere
  await consume.accounting(accounting.paymentBooked({ paymentId: 'pay_early', merchantId: 'mer_0', amount: 500n, createdAt: new Date(start) }, 500n, 20n, new Date(start)));
}, 60_000);
afterAll(async () => {
  await byEvents.remove();
  await inBulk.remove();
});

async function rollups(database: TestDatabase) {
  const em = database.fork();
  const hourly = await em.find(HourlyRollup, { payments: { $ne: 0 } }, { orderBy: { hourStart: 'asc', merchantId: 'asc', channel: 'asc', currency: 'asc', status: 'asc' } });
  const daily = await em.find(DailyRollup, { payments: { $ne: 0 } }, { orderBy: { dayStart: 'asc', channel: 'asc', currency: 'asc', status: 'asc' } });
  return { hourly: hourly.map((r) => ({ ...r })), daily: daily.map((r) => ({ ...r })) };
}

it('rebuilds from the facts exactly the rollups the events built, buckets included', async () => {
  const built = await rollups(byEvents);
  expect(built.hourly.length).toBeGreaterThan(50);
  expect(new Set(built.daily.map((r) => r.monthStart.toISOString()))).toEqual(new Set(['2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z']));
  expect(await rebuildRollups(byEvents.fork(), byEvents.dialect)).toEqual({ hourly: built.hourly.length, daily: built.daily.length });
  expect(await rollups(byEvents)).toEqual(built);
});

it('builds the same rollups from facts inserted in bulk', async () => {
  const facts = await byEvents.fork().find(PaymentFact, {}, { orderBy: { paymentId: 'asc' } });
  await insertFacts(inBulk.fork(), facts.map((f) => ({ ...f })));
  await rebuildRollups(inBulk.fork(), inBulk.dialect);
  expect(await rollups(inBulk)).toEqual(await rollups(byEvents));
  const copied = await inBulk.fork().find(PaymentFact, {}, { orderBy: { paymentId: 'asc' } });
  expect(copied.map((f) => ({ ...f }))).toEqual(facts.map((f) => ({ ...f })));
});

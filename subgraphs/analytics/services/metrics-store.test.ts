import { afterAll, beforeAll, expect, it } from 'vitest';
import { add as addMoney, money, subtract } from '../../../lib/money.js';
import type { EventEnvelope } from '../../../lib/events/event.js';
import type { Principal } from '../../../lib/principal.js';
import { DailyRollup } from '../entities/DailyRollup.js';
import { HourlyRollup } from '../entities/HourlyRollup.js';
import { PaymentFact } from '../entities/PaymentFact.js';
import { AccountingEvents, openTestDatabase, PaymentEvents, testConsumers, type TestPayment } from '../test-kit.js';
import { TestClock } from '../../../test/support/clock.js';
import type { GroupSums } from './measures.js';
import { planMetrics, dimensions, type Dimension, type MetricsPlan } from './metrics-query.js';
import { metricsSources } from './metrics-sources.js';
import { aggregateMetrics } from './metrics-store.js';
import { bucketStart, granularities } from './time-buckets.js';
import { seededRandom } from '../../../test/support/random.js';

const seed = 20261122;
const rng = seededRandom(seed);
const t0 = new Date('2026-10-30T22:47:13.000Z');
const admin: Principal = { role: 'ADMIN', merchantId: null, keyId: null };
let database: Awaited<ReturnType<typeof openTestDatabase>>;
/** what each payment should end as */
const expected = new Map<string, { status: string; captured: bigint; refunded: bigint; fee: bigint }>();

/** A payment's life in both streams: the payment's events in order, accounting's in order, interleaved at random. */
function lifeOf(payment: TestPayment, payments: PaymentEvents, accounting: AccountingEvents): { payment: EventEnvelope[]; accounting: EventEnvelope[] } {
  const at = payment.createdAt;
  const currency = payment.currency ?? 'USD';
  const own = [payments.created(payment)];
  const booked: EventEnvelope[] = [];
  const end = rng.pick(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED', 'CANCELED', 'REQUIRES_CAPTURE', 'REQUIRES_CONFIRMATION', 'PROCESSING']);
  let captured = 0n;
  let refunded = 0n;
  let fee = 0n;
  if (end !== 'REQUIRES_CONFIRMATION') own.push(payments.statusChanged(payment, 'REQUIRES_CONFIRMATION', end === 'CANCELED' ? 'CANCELED' : 'PROCESSING', at));
  if (end === 'FAILED' || end === 'REQUIRES_CAPTURE') own.push(payments.statusChanged(payment, 'PROCESSING', end, at));
  if (end === 'SUCCEEDED') {
    captured = rng.below(3) === 0 ? BigInt(1 + rng.below(Number(payment.amount))) : payment.amount;
    fee = BigInt(Math.floor(Number(captured) / 30));
    own.push(payments.statusChanged(payment, 'PROCESSING', 'SUCCEEDED', at, captured));
    booked.push(accounting.paymentBooked(payment, captured, fee, at));
    for (let i = 0, left = captured; i < rng.below(3) && left > 0n; i++) {
      const amount = BigInt(1 + rng.below(Number(left)));
      left = subtract(money(left, currency), money(amount, currency)).minor;
      refunded = addMoney(money(refunded, currency), money(amount, currency)).minor;
      own.push(payments.refund(payment, 'refund.created', `re_${payment.paymentId}_${i}`, amount, at));
      own.push(payments.refund(payment, 'refund.succeeded', `re_${payment.paymentId}_${i}`, amount, at));
      booked.push(accounting.refundBooked(payment, `re_${payment.paymentId}_${i}`, amount, 0n, at));
    }
  }
  expected.set(payment.paymentId, { status: end, captured, refunded, fee });
  return { payment: own, accounting: booked };
}

beforeAll(async () => {
  database = await openTestDatabase();
  const consume = testConsumers(database, new TestClock(t0));
  const payments = new PaymentEvents();
  const accounting = new AccountingEvents();
  let at = t0.getTime();
  for (let i = 0; i < 160; i++) {
    at += rng.below(3) === 0 ? rng.below(600_000) : rng.below(40 * 3_600_000);
    const payment: TestPayment = {
      paymentId: `pay_${i}`,
      merchantId: rng.pick(['mer_a', 'mer_b', 'mer_c']),
      channel: rng.pick(['CARD', 'ALIPAY', 'WECHAT_PAY']),
      currency: rng.pick(['USD', 'EUR', 'JPY']),
      amount: BigInt(1 + rng.below(500_000)),
      createdAt: new Date(at),
    };
    const life = lifeOf(payment, payments, accounting);
    const queues = [life.payment.map((e) => ['payment', e] as const), life.accounting.map((e) => ['accounting', e] as const)];
    for (let pending = queues.filter((q) => q.length > 0); pending.length > 0; pending = queues.filter((q) => q.length > 0)) {
      const [stream, event] = rng.pick(pending).shift()!;
      await consume[stream](event);
      // a redelivery now and then changes nothing
      if (rng.below(6) === 0) expect(await consume[stream](event)).toBe('duplicate');
    }
  }
}, 120_000);
afterAll(() => database.remove());

it('keeps every fact as its payment ended', async () => {
  const facts = await database.fork().find(PaymentFact, {});
  expect(new Map(facts.map((f) => [f.paymentId, { status: f.status, captured: f.captured, refunded: f.refunded, fee: f.fee }])), `seed ${seed}`).toEqual(expected);
});

it('keeps the rollup equal to the facts summed per hour, merchant, channel, currency and status', async () => {
  const facts = await database.fork().find(PaymentFact, {});
  const fromFacts = new Map<string, GroupSums>();
  for (const f of facts) add(fromFacts, [bucketStart(f.createdAt!, 'HOUR').toISOString(), f.merchantId, f.channel, f.currency, f.status].join(' '), f);
  const rows = await database.fork().find(HourlyRollup, { payments: { $ne: 0 } });
  const fromRollup = new Map(
    rows.map((r) => [
      [r.hourStart.toISOString(), r.merchantId, r.channel, r.currency, r.status].join(' '),
      { payments: r.payments, succeeded: r.status === 'SUCCEEDED' ? r.payments : 0, failed: r.status === 'FAILED' ? r.payments : 0, captured: r.captured, refunded: r.refunded, fee: r.fee },
    ]),
  );
  expect(fromRollup, `seed ${seed}`).toEqual(fromFacts);
});

it('keeps the daily rollup equal to the facts summed per day, channel, currency and status, every merchant together', async () => {
  const facts = await database.fork().find(PaymentFact, {});
  const fromFacts = new Map<string, GroupSums>();
  for (const f of facts) add(fromFacts, [bucketStart(f.createdAt!, 'DAY').toISOString(), f.channel, f.currency, f.status].join(' '), f);
  const rows = await database.fork().find(DailyRollup, { payments: { $ne: 0 } });
  const fromRollup = new Map(
    rows.map((r) => [
      [r.dayStart.toISOString(), r.channel, r.currency, r.status].join(' '),
      { payments: r.payments, succeeded: r.status === 'SUCCEEDED' ? r.payments : 0, failed: r.status === 'FAILED' ? r.payments : 0, captured: r.captured, refunded: r.refunded, fee: r.fee },
    ]),
  );
  expect(fromRollup, `seed ${seed}`).toEqual(fromFacts);
  expect(rows.every((r) => r.weekStart.getTime() === bucketStart(r.dayStart, 'WEEK').getTime() && r.monthStart.getTime() === bucketStart(r.dayStart, 'MONTH').getTime())).toBe(true);
});

/** Sums of minor units as SQL's sum() makes them: a group not split by currency adds several currencies' units. */
function sumMinor(a: bigint, b: bigint): bigint {
  // eslint-disable-next-line amounts/no-bigint-arithmetic -- the brute-force oracle of mixed-currency sums: not an amount
  return a + b;
}

function add(groups: Map<string, GroupSums>, key: string, f: PaymentFact): void {
  const g = groups.get(key) ?? { payments: 0, succeeded: 0, failed: 0, captured: 0n, refunded: 0n, fee: 0n };
  groups.set(key, {
    payments: g.payments + 1,
    succeeded: g.succeeded + (f.status === 'SUCCEEDED' ? 1 : 0),
    failed: g.failed + (f.status === 'FAILED' ? 1 : 0),
    captured: sumMinor(g.captured, f.captured),
    refunded: sumMinor(g.refunded, f.refunded),
    fee: sumMinor(g.fee, f.fee),
  });
}

/** The answer computed the slow way: every fact in range, bucketed and grouped in JavaScript. */
async function bruteForce(plan: MetricsPlan): Promise<Map<string, GroupSums>> {
  const facts = await database.fork().find(PaymentFact, { createdAt: { $gte: plan.from, $lt: plan.to } });
  const groups = new Map<string, GroupSums>();
  for (const f of facts) {
    if (plan.merchantIds && !plan.merchantIds.includes(f.merchantId)) continue;
    if (plan.channels && !plan.channels.includes(f.channel)) continue;
    if (plan.currencies && !plan.currencies.includes(f.currency)) continue;
    const bucket = plan.granularity ? bucketStart(f.createdAt!, plan.granularity).toISOString() : null;
    const value: Record<Dimension, string> = { CHANNEL: f.channel, MERCHANT: f.merchantId, CURRENCY: f.currency, STATUS: f.status! };
    add(groups, JSON.stringify([bucket, ...dimensions.map((d) => (plan.groupBy[d] ? value[d] : null))]), f);
  }
  return groups;
}

it('answers any range, granularity, grouping and filter exactly as the facts summed one by one, from either rollup', async () => {
  const span = 70 * 24 * 3_600_000;
  const readDaily = { true: 0, false: 0 };
  for (let i = 0; i < 80; i++) {
    const granularity = rng.pick([null, ...granularities]);
    const from = new Date(t0.getTime() - 3_600_000 + rng.below(span));
    const width = granularity === 'HOUR' ? 1 + rng.below(31 * 24 * 3_600_000) : 1 + rng.below(span);
    const aligned = rng.below(4) === 0;
    const plan = planMetrics(admin, {
      measures: rng.below(2) === 0 ? ['GMV'] : ['PAYMENT_COUNT'],
      dimensions: dimensions.filter(() => rng.below(2) === 0),
      granularity,
      from: aligned ? bucketStart(from, 'HOUR') : from,
      to: new Date((aligned ? bucketStart(from, 'HOUR').getTime() : from.getTime()) + (aligned ? Math.ceil(width / 3_600_000) * 3_600_000 : width)),
      filter: {
        merchantIds: rng.below(4) === 0 ? ['mer_a', 'mer_c'] : null,
        channels: rng.below(4) === 0 ? ['CARD'] : null,
        currencies: rng.below(4) === 0 ? ['EUR', 'JPY'] : null,
      },
    });
    readDaily[String(metricsSources(plan).daily !== null) as 'true' | 'false'] += 1;
    const answer = await aggregateMetrics(database.fork(), database.dialect, plan);
    const got = new Map(
      answer.map((g) => [JSON.stringify([g.bucket?.toISOString() ?? null, g.channel, g.merchantId, g.currency, g.status]), g.sums]),
    );
    expect(got, `seed ${seed}, query ${i}: ${JSON.stringify(plan)}`).toEqual(await bruteForce(plan));
    expect(answer.map((g) => g.bucket?.getTime() ?? 0)).toEqual(answer.map((g) => g.bucket?.getTime() ?? 0).sort((a, b) => a - b));
  }
  // both paths were compared: queries over whole days of every merchant, and the rest
  expect(readDaily.true, `seed ${seed}`).toBeGreaterThanOrEqual(10);
  expect(readDaily.false, `seed ${seed}`).toBeGreaterThanOrEqual(10);
}, 60_000);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { cancel, capture, confirm, getPayment, payerAction, refund, TEST_CARDS, uniqueKey } from '../support/payments.js';
import { eventually } from '../support/eventually.js';
import {
  ANALYTICS_SEED,
  analyticsCaughtUp,
  baselineMetrics,
  comparable,
  COUNT_MEASURES,
  DIMENSIONS,
  MEASURES,
  METRICS_QUERY,
  type BaselineQuery,
  type Dimension,
} from '../support/analytics.js';
import { expectNoErrors } from '../support/graphql.js';
import type { MetricsResult } from '../support/operations.js';
import { seededRandom } from '../support/random.js';

const seed = ANALYTICS_SEED;
const rng = seededRandom(seed);
const HOUR = 3_600_000;
/** Currencies by channel, with their number of decimals: the wallets take CNY only. */
const CURRENCIES = { CARD: { USD: 2, EUR: 2, JPY: 0 }, ALIPAY: { CNY: 2 }, WECHAT_PAY: { CNY: 2 } } as const;
type Channel = keyof typeof CURRENCIES;
/**
 * The wallet simulators sign their notifications with the real time, and the payment subgraph refuses
 * them when they are old by the test clock (Alipay's after 25 h, WeChat Pay's after 5 minutes): wallet
 * payments are made before the clock has moved that far.
 */
const ALIPAY_WINDOW = 20 * 3_600_000;
/** few, so made while the clock stands: one of each end, succeeded twice */
const WECHAT_PAY_ENDS = ['SUCCEEDED', 'REFUNDED', 'SUCCEEDED', 'REQUIRES_ACTION', 'CANCELED', 'REQUIRES_CONFIRMATION'];

let system: System;
const createdAt: Date[] = [];
let merchants: { merchantId: string; apiKey: string }[] = [];

/** Every subset of the dimensions, from none to all four. */
const dimensionSets: Dimension[][] = Array.from({ length: 16 }, (_, mask) => DIMENSIONS.filter((_d, i) => mask & (1 << i)));

const major = (minor: number, decimals: number) => (decimals === 0 ? String(minor) : (minor / 100).toFixed(2));

async function createPayment(apiKey: string, channel: Channel, captureMethod: 'AUTOMATIC' | 'MANUAL') {
  const currencies: Record<string, number> = CURRENCIES[channel];
  const currency = rng.pick(Object.keys(currencies));
  const decimals = currencies[currency]!;
  const minor = 100 + rng.below(50_000);
  const result = await system.query<{ createPayment: { id: string; createdAt: string } }>(apiKey, 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id createdAt } }', {
    input: { amount: { amount: major(minor, decimals), currency }, channel, captureMethod, idempotencyKey: uniqueKey('analytics') },
  });
  if (!result.data) throw new Error(`createPayment failed: ${JSON.stringify(result.errors)}`);
  createdAt.push(new Date(result.data.createPayment.createdAt));
  return { id: result.data.createPayment.id, minor, currency, decimals };
}

/** Confirms a payment so that it ends as asked: by card, or by the wallet's payer scanning (or not) the QR code. */
async function confirmTo(apiKey: string, channel: Channel, paymentId: string, end: string): Promise<void> {
  if (channel === 'CARD') {
    const card = { FAILED: rng.pick([TEST_CARDS.declined, TEST_CARDS.insufficientFunds]), REQUIRES_ACTION: TEST_CARDS.threeDSecure }[end] ?? TEST_CARDS.succeeds;
    const confirmed = await confirm(system, apiKey, paymentId, card);
    if (!confirmed.data) throw new Error(`confirmPayment failed: ${JSON.stringify(confirmed.errors)}`);
    return;
  }
  const confirmed = await system.query<{ confirmPayment: { status: string } }>(apiKey, 'mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { status } }', {
    input: { paymentId, idempotencyKey: uniqueKey('analytics-confirm') },
  });
  if (confirmed.data?.confirmPayment.status !== 'REQUIRES_ACTION') throw new Error(`confirmPayment failed: ${JSON.stringify(confirmed)}`);
  if (end === 'REQUIRES_ACTION') return;
  const paid = await payerAction(system, apiKey, paymentId, end === 'FAILED' ? 'DECLINE' : 'APPROVE');
  if (paid.data?.sandboxPayerAction.status !== (end === 'FAILED' ? 'FAILED' : 'SUCCEEDED')) throw new Error(`sandboxPayerAction failed: ${JSON.stringify(paid)}`);
}

/** A payment taken through the API to a random end: succeeded (whole or partial capture, some refunded), failed, canceled, waiting. */
async function randomPayment(apiKey: string, channel: Channel, chosenEnd?: string): Promise<void> {
  const ends = ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'REFUNDED', 'CANCELED', 'REQUIRES_CONFIRMATION', 'REQUIRES_ACTION'];
  // capturing later (in part) is for cards, wallets capture when the payer pays; WeChat Pay tells of a
  // declined payer only when the recovery job asks, later
  const end = chosenEnd ?? rng.pick({ CARD: [...ends, 'FAILED', 'FAILED', 'PARTIAL', 'REQUIRES_CAPTURE'], ALIPAY: [...ends, 'FAILED', 'FAILED'], WECHAT_PAY: ends }[channel]);
  const payment = await createPayment(apiKey, channel, end === 'PARTIAL' || end === 'REQUIRES_CAPTURE' ? 'MANUAL' : 'AUTOMATIC');
  if (end === 'REQUIRES_CONFIRMATION') return;
  if (end === 'CANCELED') return void (await cancel(system, apiKey, payment.id));
  await confirmTo(apiKey, channel, payment.id, end);
  let captured = payment.minor;
  const money = (minor: number) => ({ amount: major(minor, payment.decimals), currency: payment.currency });
  if (end === 'PARTIAL') {
    captured = 1 + rng.below(payment.minor);
    await capture(system, apiKey, payment.id, money(captured));
  }
  if (end === 'REFUNDED' || (end === 'PARTIAL' && rng.below(2) === 0)) {
    const first = 1 + rng.below(captured);
    await refund(system, apiKey, payment.id, money(first));
    if (first < captured && rng.below(2) === 0) await refund(system, apiKey, payment.id);
    // WeChat Pay's refunds are PENDING until its notification arrives, which must come before the clock moves on
    if (channel === 'WECHAT_PAY') await eventually(() => getPayment(system, apiKey, payment.id), (p) => p.refunds.every((r: { status: string }) => r.status === 'SUCCEEDED'));
  }
}

beforeAll(async () => {
  system = await startSystem();
  merchants = [await system.seedMerchant('Analytics A'), await system.seedMerchant('Analytics B'), await system.seedMerchant('Analytics C')];
  // first WeChat Pay, within a few seconds of the clock
  for (const end of WECHAT_PAY_ENDS) await randomPayment(rng.pick(merchants).apiKey, 'WECHAT_PAY', end);
  const start = system.clock.now().getTime();
  // then cards and Alipay, in bursts within an hour and gaps of up to two hours, a refund and a failure of each first
  const firsts: [Channel, string][] = [['ALIPAY', 'REFUNDED'], ['CARD', 'FAILED'], ['ALIPAY', 'FAILED'], ['CARD', 'REFUNDED']];
  while (system.clock.now().getTime() - start < ALIPAY_WINDOW) {
    const [channel, end] = firsts.shift() ?? [rng.pick(['CARD', 'ALIPAY'] as const), undefined];
    await randomPayment(rng.pick(merchants).apiKey, channel, end);
    system.clock.advance(rng.below(2) === 0 ? rng.below(20 * 60_000) : rng.below(2 * HOUR));
  }
  // then cards, with gaps of up to two days: about two months, across weeks and months
  for (let i = 0; i < 50; i++) {
    system.clock.advance(rng.below(3) === 0 ? rng.below(20 * 60_000) : rng.below(48 * HOUR));
    await randomPayment(rng.pick(merchants).apiKey, 'CARD');
  }
  await analyticsCaughtUp(system);
}, 300_000);
afterAll(async () => system?.stop());

/** Which rollups answered the metrics queries since `analyticsQueries` was last emptied. */
function rollupsRead(): Set<string> {
  const tables = system.analyticsQueries.filter((sql) => sql.includes('select ')).flatMap((sql) => /\b(daily_rollups|hourly_rollups)\b/.exec(sql)?.[1] ?? []);
  return new Set(tables);
}

async function expectBaseline(query: BaselineQuery, context: string, apiKey = system.adminKey, filter?: { merchantIds: string[] }): Promise<void> {
  const result = await system.query<MetricsResult>(apiKey, METRICS_QUERY, {
    query: { measures: query.measures, dimensions: query.dimensions, granularity: query.granularity, from: query.from.toISOString(), to: query.to.toISOString(), filter },
  });
  expect(result.errors, context).toBeUndefined();
  const rows = expectNoErrors(result).metrics.rows;
  // every range asked about holds payments: an empty answer would compare equal to nothing
  expect(rows.length, context).toBeGreaterThan(0);
  expect(comparable(rows), `${context} (seed ${seed})`).toEqual(await baselineMetrics(system, query));
  const buckets = rows.map((row) => row.bucket ?? '');
  expect(buckets, context).toEqual([...buckets].sort());
}

describe('metrics equal a direct SQL aggregation over the raw payments, refunds and fees', () => {
  const first = () => createdAt[0]!;
  const last = () => createdAt.at(-1)!;

  it('has a data set spread over weeks and months, with every kind of payment', async () => {
    expect(last().getTime() - first().getTime()).toBeGreaterThan(21 * 24 * HOUR);
    const kinds = await baselineMetrics(system, { measures: ['REFUNDED_AMOUNT'], dimensions: ['CHANNEL', 'STATUS'], granularity: null, from: first(), to: new Date(last().getTime() + 1) });
    const keys = [...kinds.keys()].map((key) => JSON.parse(key) as (string | null)[]);
    expect(new Set(keys.map(([, channel]) => channel))).toEqual(new Set(['CARD', 'ALIPAY', 'WECHAT_PAY']));
    expect(keys.map(([, , , , status]) => status)).toEqual(expect.arrayContaining(['FAILED', 'SUCCEEDED', 'CANCELED', 'REQUIRES_ACTION']));
    expect(new Set(keys.map(([, , , currency]) => currency))).toEqual(new Set(['USD', 'EUR', 'JPY', 'CNY']));
    // some payments were refunded, in each channel
    const refunded = new Set(keys.filter((key) => kinds.get(JSON.stringify(key))!['REFUNDED_AMOUNT'] !== '0.00' && kinds.get(JSON.stringify(key))!['REFUNDED_AMOUNT'] !== '0').map(([, channel]) => channel));
    expect(refunded).toEqual(new Set(['CARD', 'ALIPAY', 'WECHAT_PAY']));
  });

  for (const granularity of [null, 'DAY', 'WEEK', 'MONTH'] as const) {
    it(`over the whole data set and over a range starting and ending inside hours, ${granularity ?? 'without granularity'}, with every set of dimensions: from the daily rollup without MERCHANT, the hourly one with it`, async () => {
      const whole = { from: new Date(first().getTime() - 24 * HOUR), to: new Date(last().getTime() + 24 * HOUR) };
      // from one payment's creation (included) to another's (excluded): both ends fall inside an hour
      const inner = { from: createdAt[5]!, to: createdAt[createdAt.length - 6]! };
      for (const range of [whole, inner]) {
        for (const dimensions of dimensionSets) {
          for (const measures of [MEASURES, COUNT_MEASURES]) {
            system.analyticsQueries.length = 0;
            await expectBaseline({ measures, dimensions, granularity, ...range }, `${granularity} ${dimensions.join(',')} ${measures.length} measures ${range.from.toISOString()}`);
            // every merchant together over weeks: whole days from the daily rollup (and the hours around them from the hourly one)
            if (!dimensions.includes('MERCHANT')) expect(rollupsRead()).toContain('daily_rollups');
            else expect(rollupsRead()).toEqual(new Set(['hourly_rollups']));
          }
        }
      }
    }, 120_000);
  }

  it('for one merchant, named in the filter or by its own key, from the hourly rollup, with every set of dimensions', async () => {
    const range = { from: createdAt[5]!, to: createdAt[createdAt.length - 6]! };
    for (const { merchantId, apiKey } of merchants) {
      for (const granularity of [null, 'DAY', 'WEEK'] as const) {
        for (const dimensions of dimensionSets) {
          const query = { measures: MEASURES, dimensions, granularity, ...range, merchantIds: [merchantId] };
          system.analyticsQueries.length = 0;
          await expectBaseline(query, `${merchantId} filtered ${granularity} ${dimensions.join(',')}`, system.adminKey, { merchantIds: [merchantId] });
          await expectBaseline(query, `${merchantId} own key ${granularity} ${dimensions.join(',')}`, apiKey);
          expect(rollupsRead()).toEqual(new Set(['hourly_rollups']));
        }
      }
    }
  }, 180_000);

  it('by HOUR over up to 31 days, with every set of dimensions', async () => {
    const from = new Date(createdAt[3]!.getTime() - 17 * 60_000 - 3_000);
    const to = new Date(Math.min(from.getTime() + 31 * 24 * HOUR, last().getTime()));
    for (const dimensions of dimensionSets) {
      for (const measures of [MEASURES, COUNT_MEASURES]) {
        await expectBaseline({ measures, dimensions, granularity: 'HOUR', from, to }, `HOUR ${dimensions.join(',')}`);
      }
    }
  }, 120_000);
});

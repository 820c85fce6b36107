import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { confirm, createPayment, errorCode, issueApiKey, TEST_CARDS } from '../support/payments.js';
import { analyticsCaughtUp, baselineMetrics, comparable, COUNT_MEASURES, METRICS_QUERY } from '../support/analytics.js';
import { expectNoErrors } from '../support/graphql.js';
import type { MetricsResult } from '../support/operations.js';

let system: System;
let a: { merchantId: string; apiKey: string };
let b: { merchantId: string; apiKey: string };
let range: { from: string; to: string };

beforeAll(async () => {
  system = await startSystem();
  a = await system.seedMerchant('Metrics A');
  b = await system.seedMerchant('Metrics B');
  const start = system.clock.now();
  for (const [merchant, amount, card] of [
    [a, '10.00', TEST_CARDS.succeeds],
    [a, '20.00', TEST_CARDS.declined],
    [a, '30.00', TEST_CARDS.succeeds],
    [b, '40.00', TEST_CARDS.succeeds],
  ] as const) {
    const payment = await createPayment(system, merchant.apiKey, { amount });
    await confirm(system, merchant.apiKey, payment.id, card);
  }
  range = { from: new Date(start.getTime() - 60_000).toISOString(), to: new Date(system.clock.now().getTime() + 60_000).toISOString() };
  await analyticsCaughtUp(system);
});
afterAll(async () => system?.stop());

const metrics = (apiKey: string | null, query: Record<string, unknown>) => system.query<MetricsResult>(apiKey, METRICS_QUERY, { query: { ...range, ...query } });
const gmvByMerchant = { measures: ['GMV', 'PAYMENT_COUNT'], dimensions: ['MERCHANT'] };
/** [merchant, GMV, count] of each row */
const byMerchant = (result: any) => result.data.metrics.rows.map((row: any) => [row.merchant.id, row.values[0].value, row.values[1].value]);

describe('who sees which merchants in metrics', () => {
  it('ADMIN sees every merchant, and the merchant resolves through the payment subgraph', async () => {
    const result = await system.query<MetricsResult>(
      system.adminKey,
      'query($query: MetricsQuery!) { metrics(query: $query) { rows { merchant { id name } currency values { measure value } } } }',
      { query: { ...range, ...gmvByMerchant } },
    );
    expect(result.errors).toBeUndefined();
    const rows = expectNoErrors(result).metrics.rows.map((row: any) => [row.merchant.name, row.currency, row.values.map((v: any) => v.value)]);
    expect(rows.sort()).toEqual([
      ['Metrics A', 'USD', ['40.00', '3']],
      ['Metrics B', 'USD', ['40.00', '1']],
    ]);
  });

  it('a platform-wide ANALYST key sees every merchant, as ADMIN does', async () => {
    const analyst = await issueApiKey(system, 'ANALYST', null);
    expect(byMerchant(await metrics(analyst, gmvByMerchant))).toEqual(byMerchant(await metrics(system.adminKey, gmvByMerchant)));
    expect(byMerchant(await metrics(analyst, gmvByMerchant)).map((row: string[]) => row[0]).sort()).toEqual([a.merchantId, b.merchantId].sort());
  });

  it('a MERCHANT key and a merchant-bound ANALYST key see only their merchant, whatever filter they send', async () => {
    const boundAnalyst = await issueApiKey(system, 'ANALYST', a.merchantId);
    for (const key of [a.apiKey, boundAnalyst]) {
      expect(byMerchant(await metrics(key, gmvByMerchant))).toEqual([[a.merchantId, '40.00', '3']]);
      expect(byMerchant(await metrics(key, { ...gmvByMerchant, filter: { merchantIds: [a.merchantId, b.merchantId] } }))).toEqual([[a.merchantId, '40.00', '3']]);
      expect(expectNoErrors(await metrics(key, { ...gmvByMerchant, filter: { merchantIds: [b.merchantId] } })).metrics.rows).toEqual([]);
    }
    // without the dimension as well: the totals are its merchant's alone
    const totals = await metrics(b.apiKey, { measures: COUNT_MEASURES });
    expect(comparable(expectNoErrors(totals).metrics.rows)).toEqual(
      await baselineMetrics(system, { measures: COUNT_MEASURES, dimensions: [], granularity: null, from: new Date(range.from), to: new Date(range.to), merchantIds: [b.merchantId] }),
    );
  });

  it('without a key is UNAUTHENTICATED', async () => {
    expect(errorCode(await metrics(null, gmvByMerchant))).toBe('UNAUTHENTICATED');
  });
});

describe('metrics refuses bad input with BAD_USER_INPUT, naming what is wrong', () => {
  const day = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' };
  it.each([
    ['a range with to before from', { measures: ['GMV'], from: day.to, to: day.from }, 'query.to'],
    ['an empty range', { measures: ['GMV'], from: day.from, to: day.from }, 'query.to'],
    ['an unknown currency', { measures: ['GMV'], ...day, filter: { currencies: ['XYZ'] } }, 'query.filter.currencies'],
    ['an empty list of measures', { measures: [], ...day }, 'query.measures'],
    ['HOUR over more than 31 days', { measures: ['PAYMENT_COUNT'], granularity: 'HOUR', from: '2026-11-01T00:00:00Z', to: '2026-12-02T00:00:01Z' }, 'query.granularity'],
    ['a measure the contract does not have', { measures: ['PROFIT'], ...day }, 'PROFIT'],
    ['a time that is not ISO-8601', { measures: ['GMV'], from: 'yesterday', to: day.to }, 'DateTime'],
  ])('%s', async (_name, query, named) => {
    const result = await system.query(a.apiKey, METRICS_QUERY, { query });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toContain(named);
    expect(result.data ?? null).toBeNull();
  });

  it('takes HOUR over exactly 31 days', async () => {
    const result = await system.query(a.apiKey, METRICS_QUERY, { query: { measures: ['PAYMENT_COUNT'], granularity: 'HOUR', from: '2026-11-01T00:00:00Z', to: '2026-12-02T00:00:00Z' } });
    expect(result.errors).toBeUndefined();
  });
});

describe('health', () => {
  it('GET /health names the analytics subgraph ok', async () => {
    const response = await fetch(`${system.gatewayUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', subgraphs: { payment: 'ok', accounting: 'ok', analytics: 'ok' } });
  });
});

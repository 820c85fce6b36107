import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTING_EVENTS, PAYMENT_EVENTS } from '../../lib/events/event.js';
import { signedJsonHeaders } from '../../lib/internal-signature.js';
import { encodePrincipal, type Principal } from '../../lib/principal.js';
import { loadAnalyticsConfig } from './config.js';
import { startAnalyticsSubgraph, type AnalyticsSubgraph } from './index.js';
import { AccountingEvents, PaymentEvents, type TestPayment } from './test-kit.js';
import { TestClock } from '../../test/support/clock.js';
import { capturingTransport } from '../../test/support/capturing-transport.js';

const secret = 'analytics-test-internal-secret-0123456789';
const t0 = new Date('2026-11-22T10:30:00.000Z');
const admin: Principal = { role: 'ADMIN', merchantId: null, keyId: null };
const merchant = (merchantId: string): Principal => ({ role: 'MERCHANT', merchantId, keyId: `key_${merchantId}` });

let analytics: AnalyticsSubgraph;
let dataDir: string;
const { transport, subscriptions } = capturingTransport();
const queries: string[] = [];
/** the SELECT statements logged since `queries` was last emptied */
const selects = () => queries.filter((line) => line.includes('select '));
/** the table each of those statements read */
const tablesRead = () => selects().map((sql) => /from `(\w+)`/.exec(sql)?.[1]);
const paymentEvents = new PaymentEvents();
const accountingEvents = new AccountingEvents();
const deliver = (stream: string) => subscriptions.find((s) => s.stream === stream)!.handler;

async function query(principal: Principal, text: string, variables: Record<string, unknown> = {}) {
  const body = JSON.stringify({ query: text, variables });
  const encoded = encodePrincipal(principal);
  const response = await fetch(`${analytics.url}/graphql`, {
    method: 'POST',
    headers: signedJsonHeaders(secret, { method: 'POST', service: 'analytics', path: '/graphql', principal: encoded, body }),
    body,
  });
  return (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

const METRICS = `query($query: MetricsQuery!) { metrics(query: $query) { rows { bucket channel merchant { id } currency status values { measure value } } } }`;
const day = { from: '2026-11-22T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paygraph-analytics-wiring-'));
  const config = loadAnalyticsConfig({ NODE_ENV: 'test', ANALYTICS_PORT: '0', DATA_DIR: dataDir, INTERNAL_SECRET: secret });
  analytics = await startAnalyticsSubgraph(config, { transport, consumerName: 'test-consumer', clock: new TestClock(t0), onQuery: (sql) => void queries.push(sql) });
  const payments: TestPayment[] = [
    { paymentId: 'pay_a1', merchantId: 'mer_a', amount: 10_000n, createdAt: t0 },
    { paymentId: 'pay_a2', merchantId: 'mer_a', amount: 5_000n, createdAt: new Date('2026-11-22T11:05:00.000Z') },
    { paymentId: 'pay_b1', merchantId: 'mer_b', currency: 'JPY', amount: 1_000n, createdAt: t0 },
  ];
  for (const p of payments) await deliver(PAYMENT_EVENTS)(paymentEvents.created(p));
  await deliver(PAYMENT_EVENTS)(paymentEvents.statusChanged(payments[0]!, 'REQUIRES_CONFIRMATION', 'SUCCEEDED', t0, 10_000n));
  await deliver(ACCOUNTING_EVENTS)(accountingEvents.paymentBooked(payments[0]!, 10_000n, 320n, t0));
  await deliver(PAYMENT_EVENTS)(paymentEvents.statusChanged(payments[1]!, 'REQUIRES_CONFIRMATION', 'FAILED', t0));
  await deliver(PAYMENT_EVENTS)(paymentEvents.statusChanged(payments[2]!, 'REQUIRES_CONFIRMATION', 'SUCCEEDED', t0, 1_000n));
});
afterAll(async () => {
  await analytics.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the analytics subgraph', () => {
  it('consumes the payment and accounting events in the analytics group under its consumer name', () => {
    expect(subscriptions.map(({ stream, group, consumer }) => ({ stream, group, consumer }))).toEqual([
      { stream: 'payment-events', group: 'analytics', consumer: 'test-consumer' },
      { stream: 'accounting-events', group: 'analytics', consumer: 'test-consumer' },
    ]);
  });

  it('answers metrics per currency with the merchant as a reference', async () => {
    const result = await query(admin, METRICS, {
      query: { measures: ['GMV', 'PAYMENT_COUNT', 'SUCCESS_RATE', 'FEE_REVENUE'], dimensions: ['MERCHANT'], ...day },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.metrics.rows).toEqual([
      {
        bucket: null,
        channel: null,
        merchant: { id: 'mer_a' },
        currency: 'USD',
        status: null,
        values: [
          { measure: 'GMV', value: '100.00' },
          { measure: 'PAYMENT_COUNT', value: '2' },
          { measure: 'SUCCESS_RATE', value: '0.500000' },
          { measure: 'FEE_REVENUE', value: '3.20' },
        ],
      },
      {
        bucket: null,
        channel: null,
        merchant: { id: 'mer_b' },
        currency: 'JPY',
        status: null,
        values: [
          { measure: 'GMV', value: '1000' },
          { measure: 'PAYMENT_COUNT', value: '1' },
          { measure: 'SUCCESS_RATE', value: '1.000000' },
          { measure: 'FEE_REVENUE', value: '0' },
        ],
      },
    ]);
  });

  it('buckets by hour and leaves out a rate without a denominator', async () => {
    const result = await query(merchant('mer_a'), METRICS, {
      query: { measures: ['PAYMENT_COUNT', 'AVERAGE_TICKET'], granularity: 'HOUR', dimensions: ['STATUS'], from: '2026-11-22T10:00:00Z', to: '2026-11-22T11:30:00Z' },
    });
    expect(result.data.metrics.rows.map((r: any) => [r.bucket, r.status, r.values])).toEqual([
      ['2026-11-22T10:00:00.000Z', 'SUCCEEDED', [{ measure: 'PAYMENT_COUNT', value: '1' }, { measure: 'AVERAGE_TICKET', value: '100.00' }]],
      ['2026-11-22T11:00:00.000Z', 'FAILED', [{ measure: 'PAYMENT_COUNT', value: '1' }]],
    ]);
  });

  it('reads whole hours from the hourly rollup and the partial hours at either end from the facts: three statements', async () => {
    queries.length = 0;
    const result = await query(admin, METRICS, { query: { measures: ['PAYMENT_COUNT'], granularity: 'DAY', from: '2026-11-22T09:59:59.999Z', to: '2026-11-22T11:05:00.001Z' } });
    expect(result.data.metrics.rows).toMatchObject([{ bucket: '2026-11-22T00:00:00.000Z', values: [{ measure: 'PAYMENT_COUNT', value: '3' }] }]);
    expect(tablesRead()).toEqual(['hourly_rollups', 'payment_facts', 'payment_facts']);
  });

  it('reads whole days of every merchant together from the daily rollup, the hours around them from the hourly one', async () => {
    queries.length = 0;
    const whole = await query(admin, METRICS, { query: { measures: ['PAYMENT_COUNT', 'GMV'], granularity: 'DAY', dimensions: ['CHANNEL', 'STATUS'], ...day } });
    expect(tablesRead()).toEqual(['daily_rollups']);
    expect(whole.data.metrics.rows.map((r: any) => [r.bucket, r.channel, r.currency, r.status, r.values])).toEqual([
      ['2026-11-22T00:00:00.000Z', 'CARD', 'JPY', 'SUCCEEDED', [{ measure: 'PAYMENT_COUNT', value: '1' }, { measure: 'GMV', value: '1000' }]],
      ['2026-11-22T00:00:00.000Z', 'CARD', 'USD', 'FAILED', [{ measure: 'PAYMENT_COUNT', value: '1' }, { measure: 'GMV', value: '0.00' }]],
      ['2026-11-22T00:00:00.000Z', 'CARD', 'USD', 'SUCCEEDED', [{ measure: 'PAYMENT_COUNT', value: '1' }, { measure: 'GMV', value: '100.00' }]],
    ]);
    queries.length = 0;
    const around = await query(admin, METRICS, { query: { measures: ['PAYMENT_COUNT'], from: '2026-11-21T10:30:00Z', to: '2026-11-23T10:30:00Z' } });
    expect(around.data.metrics.rows).toMatchObject([{ values: [{ measure: 'PAYMENT_COUNT', value: '3' }] }]);
    expect(tablesRead()).toEqual(['daily_rollups', 'hourly_rollups', 'hourly_rollups', 'payment_facts', 'payment_facts']);
  });

  it('reads the hourly rollup for a merchant, by key, filter or dimension, and for HOUR buckets', async () => {
    for (const [principal, asked] of [
      [merchant('mer_a'), {}],
      [admin, { filter: { merchantIds: ['mer_a'] } }],
      [admin, { dimensions: ['MERCHANT'] }],
      [admin, { granularity: 'HOUR' }],
    ] as const) {
      queries.length = 0;
      const result = await query(principal, METRICS, { query: { measures: ['PAYMENT_COUNT'], ...day, ...asked } });
      expect(result.errors).toBeUndefined();
      expect(tablesRead()).toEqual(['hourly_rollups']);
    }
  });

  it("counts only the caller's merchant for a MERCHANT key, whatever it filters", async () => {
    const result = await query(merchant('mer_b'), METRICS, { query: { measures: ['PAYMENT_COUNT'], ...day, filter: { merchantIds: ['mer_a', 'mer_b'] } } });
    expect(result.data.metrics.rows).toEqual([{ bucket: null, channel: null, merchant: null, currency: null, status: null, values: [{ measure: 'PAYMENT_COUNT', value: '1' }] }]);
  });

  it('answers bad input with BAD_USER_INPUT', async () => {
    const result = await query(admin, METRICS, { query: { measures: ['GMV'], from: day.to, to: day.from } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toContain('query.to');
  });

  it('applies a redelivered event once', async () => {
    const refund = paymentEvents.refund({ paymentId: 'pay_a1', merchantId: 'mer_a', amount: 10_000n, createdAt: t0 }, 'refund.succeeded', 're_1', 100n, t0);
    expect(await analytics.handleEvent(refund)).toBe('applied');
    expect(await analytics.handleEvent(refund)).toBe('duplicate');
  });

  it('refuses requests without the gateway signature', async () => {
    const response = await fetch(`${analytics.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ metrics(query: {measures: [GMV], from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z"}) { rows { currency } } }' }),
    });
    expect(response.status).toBe(401);
  });
});

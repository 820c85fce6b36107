import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../lib/database.js';
import { add, money, parseDecimalAmount, subtract, sum, zero, type Money } from '../../lib/money.js';
import { loadSeedConfig, type SeedConfig } from '../../scripts/seed/config.js';
import { seed, type SeedSummary } from '../../scripts/seed/run.js';
import { subgraphModules } from '../../system/subgraphs.js';
import { PaymentFact } from '../../subgraphs/analytics/entities/PaymentFact.js';
import { computeFee } from '../../subgraphs/accounting/services/fees.js';
import { Payment } from '../../subgraphs/payment/entities/Payment.js';
import { Refund } from '../../subgraphs/payment/entities/Refund.js';
import { RefundBooking } from '../../subgraphs/transaction/entities/RefundBooking.js';
import { TransactionRecord } from '../../subgraphs/transaction/entities/TransactionRecord.js';
import { TRADE_NO_PATTERN } from '../../subgraphs/transaction/services/trade-numbers.js';
import { baselineMetrics, comparable, DIMENSIONS, METRICS_QUERY, type Dimension, type Granularity } from '../support/analytics.js';
import { freshDatabaseUrl } from '../support/database.js';
import { allTransactions, transactionsPage } from '../support/transactions.js';
import { startSystem, type System } from '../support/system.js';
import { expectNoErrors } from '../support/graphql.js';
import type { MetricsResult } from '../support/operations.js';

const HOUR = 3_600_000;
const options = { payments: 2_000, merchants: 12, months: 3, seed: 1122, end: new Date('2026-11-20T06:00:00.000Z') };
/** every measure the payment subgraph's tables answer alone: the fee is accounting's, checked against the records below */
const MEASURES = ['GMV', 'PAYMENT_COUNT', 'SUCCEEDED_COUNT', 'FAILED_COUNT', 'SUCCESS_RATE', 'REFUNDED_AMOUNT', 'REFUND_RATE', 'AVERAGE_TICKET'];

let system: System;
let config: SeedConfig;
let summary: SeedSummary;
let payments: Payment[];
let refunds: Refund[];
let records: TransactionRecord[];

beforeAll(async () => {
  system = await startSystem();
  config = loadSeedConfig({ DATABASE_URL: system.databaseUrl, DATA_DIR: system.dataDir });
  summary = await seed(options, config);
  payments = await system.payment.database.fork().find(Payment, {}, { orderBy: { id: 'asc' } });
  refunds = await system.payment.database.fork().find(Refund, {}, { orderBy: { id: 'asc' } });
  records = await system.transaction.database.fork().find(TransactionRecord, {}, { orderBy: { id: 'asc' } });
}, 180_000);
afterAll(async () => system?.stop());

describe('npm run seed', () => {
  it('fills the payment database with payments of every channel, currency and end, over the months before --end', () => {
    expect(summary).toMatchObject({ merchants: 12, payments: 2_000, refunds: refunds.length, transactions: records.length });
    expect(payments).toHaveLength(2_000);
    expect(new Set(payments.map((p) => p.merchantId)).size).toBeGreaterThan(6);
    expect(new Set(payments.map((p) => p.channel))).toEqual(new Set(['CARD', 'ALIPAY', 'WECHAT_PAY']));
    expect(payments.filter((p) => p.channel !== 'CARD').every((p) => p.currency === 'CNY')).toBe(true);
    expect(new Set(payments.filter((p) => p.channel === 'CARD').map((p) => p.currency)).size).toBeGreaterThanOrEqual(4);
    const statuses = new Map<string, number>();
    for (const p of payments) statuses.set(p.status, (statuses.get(p.status) ?? 0) + 1);
    expect([...statuses.keys()]).toEqual(expect.arrayContaining(['SUCCEEDED', 'FAILED', 'CANCELED', 'REQUIRES_CONFIRMATION', 'REQUIRES_ACTION']));
    expect(statuses.get('SUCCEEDED')! / payments.length).toBeGreaterThan(0.75);
    expect(payments.every((p) => p.createdAt >= new Date('2026-08-20T06:00:00.000Z') && p.createdAt < options.end && p.updatedAt < options.end)).toBe(true);
    // the busiest day is more than twice as busy as the quietest: weekly rhythm and shopping days
    const perDay = new Map<string, number>();
    for (const p of payments) perDay.set(p.createdAt.toISOString().slice(0, 10), (perDay.get(p.createdAt.toISOString().slice(0, 10)) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeGreaterThan(2 * Math.min(...perDay.values()));
  });

  it('keeps each payment consistent with its refunds: partial refunds, never more than captured', () => {
    const byPayment = new Map<string, Refund[]>();
    for (const r of refunds) byPayment.set(r.paymentId, [...(byPayment.get(r.paymentId) ?? []), r]);
    expect(refunds.some((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(payments.some((p) => p.amountRefunded > 0n && p.amountRefunded < p.amountReceived)).toBe(true);
    for (const p of payments) {
      const own = byPayment.get(p.id) ?? [];
      expect(p.amountRefunded, p.id).toBe(sum(own.filter((r) => r.status !== 'FAILED').map((r) => money(r.amount, r.currency)), p.currency).minor);
      expect(p.amountRefunded <= p.amountReceived, p.id).toBe(true);
      if (own.length > 0) expect(p.status, p.id).toBe('SUCCEEDED');
      expect(p.amountReceived > 0n, p.id).toBe(p.status === 'SUCCEEDED');
      expect(p.amountReceived <= p.amount, p.id).toBe(true);
      for (const r of own) expect(r.createdAt > p.createdAt && r.merchantId === p.merchantId && r.currency === p.currency, r.id).toBe(true);
    }
  });

  it("records each money movement once: captures with accounting's fee, refunds with their status, trade numbers gapless per day", async () => {
    const fees = config.fees;
    const byMovement = new Map(records.map((r) => [r.movementId, r]));
    expect(byMovement.size).toBe(records.length);
    const captured = payments.filter((p) => p.status === 'SUCCEEDED');
    expect(records).toHaveLength(captured.length + refunds.length);
    for (const p of captured) {
      const received = money(p.amountReceived, p.currency);
      const fee = computeFee(fees, p.channel, received);
      expect(byMovement.get(p.id), p.id).toMatchObject({ type: 'PAYMENT', direction: 'INCOME', status: 'SUCCEEDED', merchantId: p.merchantId, amount: p.amountReceived, fee: fee.minor, net: subtract(received, fee).minor });
    }
    for (const r of refunds) {
      expect(byMovement.get(r.id), r.id).toMatchObject({ type: 'REFUND', direction: 'EXPENSE', status: r.status, paymentId: r.paymentId, refundId: r.id, amount: r.amount, fee: 0n, net: r.amount, occurredAt: r.createdAt });
    }
    const bookings = await system.transaction.database.fork().find(RefundBooking, {});
    expect(new Map(bookings.map((b) => [b.refundId, b.bookedAt !== null]))).toEqual(new Map(refunds.map((r) => [r.id, r.status === 'SUCCEEDED'])));
    const perDay = new Map<string, number[]>();
    for (const record of records) {
      expect(record.tradeNo).toMatch(TRADE_NO_PATTERN);
      expect(record.tradeNo.slice(2, 10)).toBe(record.occurredAt.toISOString().slice(0, 10).replaceAll('-', ''));
      perDay.set(record.tradeNo.slice(2, 10), [...(perDay.get(record.tradeNo.slice(2, 10)) ?? []), Number(record.tradeNo.slice(10))]);
    }
    for (const [day, sequences] of perDay) expect(sequences.sort((a, b) => a - b), day).toEqual(sequences.map((_s, i) => i + 1));
  });

  it('gives analytics a fact per payment and the rollups built from them', async () => {
    const facts = await system.analytics.database.fork().find(PaymentFact, {});
    expect(facts).toHaveLength(payments.length);
    expect(summary.rollupRows.hourly).toBeGreaterThan(summary.rollupRows.daily);
    expect(summary.rollupRows.daily).toBeGreaterThan(0);
  });

  it('writes a MERCHANT key per merchant and an ANALYST key to DATA_DIR/seed-keys.json, for the owner only', async () => {
    expect(summary.keysFile).toBe(join(system.dataDir, 'seed-keys.json'));
    expect(statSync(summary.keysFile).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(summary.keysFile, 'utf8'));
    expect(file.merchants).toHaveLength(12);
    expect(file).toMatchObject({ seed: 1122, analystKey: summary.keys.analystKey });
    const viewer = await system.query<{ viewer: { role: string; merchant: { id: string } | null } }>(file.merchants[0].apiKey, '{ viewer { role merchant { id } } }');
    expect(viewer.data?.viewer).toEqual({ role: 'MERCHANT', merchant: { id: file.merchants[0].merchantId } });
  });

  it('refuses to load the same data into the same database twice', async () => {
    await expect(seed(options, config)).rejects.toThrow(/already holds the data of --seed 1122/);
  });

  it('makes the same data from the same seed, the API keys aside', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'paygraph-seed-again-'));
    try {
      const databaseUrl = await freshDatabaseUrl();
      await seed(options, { ...config, databaseUrl, dataDir });
      const again = await openDatabase({ name: 'payment', databaseUrl, dataDir, ...(await subgraphModules.payment()) });
      const transaction = await openDatabase({ name: 'transaction', databaseUrl, dataDir, ...(await subgraphModules.transaction()) });
      try {
        const plain = <T extends object>(rows: T[]) => rows.map((row) => ({ ...row }));
        expect(plain(await again.fork().find(Payment, {}, { orderBy: { id: 'asc' } }))).toEqual(plain(payments));
        expect(plain(await again.fork().find(Refund, {}, { orderBy: { id: 'asc' } }))).toEqual(plain(refunds));
        expect(plain(await transaction.fork().find(TransactionRecord, {}, { orderBy: { id: 'asc' } }))).toEqual(plain(records));
      } finally {
        await again.close();
        await transaction.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the seeded data through the gateway', () => {
  const dimensionSets: Dimension[][] = [[], ['CHANNEL', 'CURRENCY'], ['MERCHANT'], ['CHANNEL', 'MERCHANT', 'STATUS'], [...DIMENSIONS]];
  const whole = () => ({ from: summary.from, to: summary.to });
  // both ends inside an hour, a day and a week: whole days from the daily rollup, hours from the hourly one, the rest from the facts
  const inner = () => ({ from: new Date(summary.from.getTime() + 9 * 24 * HOUR + 5 * HOUR + 1_234), to: new Date(summary.to.getTime() - 11 * 24 * HOUR - 7 * HOUR - 4_321) });

  it('answers metrics equal to a direct SQL GROUP BY over the seeded payments and refunds, from either rollup', async () => {
    for (const granularity of [null, 'DAY', 'WEEK', 'MONTH'] as (Granularity | null)[]) {
      for (const range of [whole(), inner()]) {
        for (const dimensions of dimensionSets) {
          const context = `${granularity} ${dimensions.join(',')} ${range.from.toISOString()}`;
          const result = await system.query<MetricsResult>(summary.keys.analystKey, METRICS_QUERY, {
            query: { measures: MEASURES, dimensions, granularity, from: range.from.toISOString(), to: range.to.toISOString() },
          });
          expect(result.errors, context).toBeUndefined();
          const { rows } = expectNoErrors(result).metrics;
          expect(rows.length, context).toBeGreaterThan(0);
          expect(comparable(rows), context).toEqual(await baselineMetrics(system, { measures: MEASURES, dimensions, granularity, ...range }));
        }
      }
    }
    const hours = { from: new Date(summary.to.getTime() - 9 * 24 * HOUR - 1_000), to: summary.to };
    const hourly = await system.query<MetricsResult>(system.adminKey, METRICS_QUERY, { query: { measures: MEASURES, dimensions: ['CHANNEL'], granularity: 'HOUR', from: hours.from.toISOString(), to: hours.to.toISOString() } });
    expect(comparable(expectNoErrors(hourly).metrics.rows)).toEqual(await baselineMetrics(system, { measures: MEASURES, dimensions: ['CHANNEL'], granularity: 'HOUR', ...hours }));
  }, 120_000);

  it("answers FEE_REVENUE per currency equal to the fees of the seeded capture records", async () => {
    const result = await system.query<MetricsResult>(system.adminKey, METRICS_QUERY, { query: { measures: ['FEE_REVENUE'], from: summary.from.toISOString(), to: summary.to.toISOString() } });
    const fees = new Map<string, Money>();
    for (const r of records) if (r.type === 'PAYMENT') fees.set(r.currency, add(fees.get(r.currency) ?? zero(r.currency), money(r.fee, r.currency)));
    expect(new Map(expectNoErrors(result).metrics.rows.map((row: any) => [row.currency, parseDecimalAmount(row.values[0].value, row.currency)]))).toEqual(fees);
  });

  it("pages a merchant's filtered history as the records hold it, newest first", async () => {
    const { merchantId, apiKey } = summary.keys.merchants.reduce((busiest, m) => (records.filter((r) => r.merchantId === m.merchantId).length > records.filter((r) => r.merchantId === busiest.merchantId).length ? m : busiest));
    const own = records.filter((r) => r.merchantId === merchantId).sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || (a.id < b.id ? 1 : -1));
    const channel = own[0]!.channel;
    const occurredAfter = new Date(summary.from.getTime() + 20 * 24 * HOUR);
    const occurredBefore = new Date(summary.to.getTime() - 10 * 24 * HOUR);
    const expected = own.filter((r) => r.channel === channel && r.status === 'SUCCEEDED' && r.occurredAt > occurredAfter && r.occurredAt < occurredBefore);
    expect(expected.length).toBeGreaterThan(20);
    const filter = { channel: [channel], status: ['SUCCEEDED'], occurredAfter: occurredAfter.toISOString(), occurredBefore: occurredBefore.toISOString() };
    const page = await transactionsPage(system, apiKey, { first: 20, filter });
    expect(page.edges.map((e: any) => e.node.tradeNo)).toEqual(expected.slice(0, 20).map((r) => r.tradeNo));
    expect(page.pageInfo.hasNextPage).toBe(true);
    const all = await allTransactions(system, apiKey, filter);
    expect(all.map((node) => node.id)).toEqual(expected.map((r) => r.id));
    const first = expected[0]!;
    expect(all[0]).toMatchObject({ type: first.type, direction: first.direction, channel, status: 'SUCCEEDED', occurredAt: first.occurredAt.toISOString(), payment: { id: first.paymentId } });
  }, 60_000);

  it('resolves a seeded payment with its refunds and records across subgraphs', async () => {
    const payment = payments.find((p) => refunds.some((r) => r.paymentId === p.id && r.status === 'SUCCEEDED'))!;
    const key = summary.keys.merchants.find((m) => m.merchantId === payment.merchantId)!.apiKey;
    const result = await system.query<{ payment: { refunds: { id: string }[]; transactions: { type: string }[] } | null }>(key, 'query($id: ID!) { payment(id: $id) { status amountReceived { minorUnits } amountRefunded { minorUnits } refunds { id status } transactions { type movement: refund { id } amount { minorUnits } } } }', { id: payment.id });
    expect(result.errors).toBeUndefined();
    const seen = expectNoErrors(result).payment;
    expect(seen).toMatchObject({ status: 'SUCCEEDED', amountReceived: { minorUnits: String(payment.amountReceived) }, amountRefunded: { minorUnits: String(payment.amountRefunded) } });
    const own = refunds.filter((r) => r.paymentId === payment.id);
    expect(seen?.refunds.map((r) => r.id).sort()).toEqual(own.map((r) => r.id).sort());
    expect(seen?.transactions.map((t) => t.type)).toEqual(['PAYMENT', ...own.map(() => 'REFUND')]);
  });
});

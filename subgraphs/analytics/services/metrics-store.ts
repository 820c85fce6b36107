import { IsolationLevel, raw, type EntitySchema, type FilterQuery } from '@mikro-orm/core';
import type { Dialect, Em } from '../../../lib/database.js';
import { add, money } from '../../../lib/money.js';
import { DailyRollup } from '../entities/DailyRollup.js';
import { HourlyRollup } from '../entities/HourlyRollup.js';
import { PaymentFact } from '../entities/PaymentFact.js';
import type { GroupSums } from './measures.js';
import type { Dimension, MetricsPlan } from './metrics-query.js';
import { metricsSources, type Interval } from './metrics-sources.js';
import { bucketStart, type Granularity } from './time-buckets.js';

/** A value as the database driver reads it. */
type SqlValue = string | number | bigint | Date | null;
type SqlRow = Record<string, SqlValue>;

/** One row of the answer before its measures are computed: the bucket and dimensions it stands for, and its sums. */
export interface MetricsGroup {
  bucket: Date | null;
  channel: string | null;
  merchantId: string | null;
  currency: string | null;
  status: string | null;
  sums: GroupSums;
}

const dimensionColumns: Record<Dimension, string> = { CHANNEL: 'channel', MERCHANT: 'merchant_id', CURRENCY: 'currency', STATUS: 'status' };
const bucketColumns: Record<Granularity, string> = { HOUR: 'hour_start', DAY: 'day_start', WEEK: 'week_start', MONTH: 'month_start' };

/**
 * Sums of the payments created in [from, to) per bucket and dimension, each part of the range from
 * the smallest store that answers it exactly (services/metrics-sources.ts): whole days of every
 * merchant together from the daily rollup, whole hours from the hourly rollup, the partial hours at
 * either end from the facts. All are read in one snapshot (they are written in one transaction), so
 * they agree.
 */
export async function aggregateMetrics(em: Em, dialect: Dialect, plan: MetricsPlan): Promise<MetricsGroup[]> {
  if (plan.merchantIds?.length === 0) return [];
  const sources = metricsSources(plan);
  const snapshot = dialect === 'postgresql' ? { isolationLevel: IsolationLevel.REPEATABLE_READ } : {};
  const groups = await em.fork().transactional(async (tx) => {
    const found: MetricsGroup[] = [];
    if (sources.daily) {
      found.push(...(await fromRollup(tx, DailyRollup, plan, { dayStart: { $gte: sources.daily.from, $lt: sources.daily.to }, ...sharedFilters(plan) })));
    }
    for (const hours of sources.hourly) {
      found.push(...(await fromRollup(tx, HourlyRollup, plan, { hourStart: { $gte: hours.from, $lt: hours.to }, ...merchantFilter(plan), ...sharedFilters(plan) })));
    }
    for (const edge of sources.facts) found.push(...(await fromFacts(tx, plan, edge)));
    return found;
  }, snapshot);
  return merged(groups);
}

function dimensionsOf(plan: MetricsPlan): string[] {
  return (Object.keys(dimensionColumns) as Dimension[]).filter((d) => plan.groupBy[d]).map((d) => dimensionColumns[d]);
}

const merchantFilter = (plan: MetricsPlan) => (plan.merchantIds ? { merchantId: { $in: plan.merchantIds } } : {});

/** The filters every store has columns for. */
function sharedFilters(plan: MetricsPlan) {
  return {
    ...(plan.channels ? { channel: { $in: plan.channels } } : {}),
    ...(plan.currencies ? { currency: { $in: plan.currencies } } : {}),
  };
}

/** Either rollup: both keep the bucket columns, the dimensions a query groups them by, and the sums. */
async function fromRollup<T extends object>(tx: Em, rollup: EntitySchema<T>, plan: MetricsPlan, where: FilterQuery<T>): Promise<MetricsGroup[]> {
  const columns = [...(plan.granularity ? [bucketColumns[plan.granularity]] : []), ...dimensionsOf(plan)];
  const rows: SqlRow[] = await tx
    .createQueryBuilder(rollup, 'r')
    .select([
      ...columns.map((column) => raw(`r.${column} as ${column}`)),
      raw('sum(r.payments) as payments'),
      raw("sum(case when r.status = 'SUCCEEDED' then r.payments else 0 end) as succeeded"),
      raw("sum(case when r.status = 'FAILED' then r.payments else 0 end) as failed"),
      ...['captured', 'refunded', 'fee'].map((sum) => raw(`cast(sum(r.${sum}) as text) as ${sum}`)),
    ])
    .where(where)
    .groupBy(columns.map((column) => raw(`r.${column}`)))
    .having('sum(r.payments) > 0')
    .execute('all', false);
  return rows.map((row) => group(plan, row, plan.granularity ? readDate(row[bucketColumns[plan.granularity]]) : null));
}

async function fromFacts(tx: Em, plan: MetricsPlan, edge: Interval): Promise<MetricsGroup[]> {
  const columns = dimensionsOf(plan);
  const where: FilterQuery<PaymentFact> = { createdAt: { $gte: edge.from, $lt: edge.to }, ...merchantFilter(plan), ...sharedFilters(plan) };
  const query = tx
    .createQueryBuilder(PaymentFact, 'f')
    .select([
      ...columns.map((column) => raw(`f.${column} as ${column}`)),
      raw('count(*) as payments'),
      raw("sum(case when f.status = 'SUCCEEDED' then 1 else 0 end) as succeeded"),
      raw("sum(case when f.status = 'FAILED' then 1 else 0 end) as failed"),
      ...['captured', 'refunded', 'fee'].map((sum) => raw(`cast(sum(f.${sum}) as text) as ${sum}`)),
    ])
    .where(where)
    .having('count(*) > 0');
  if (columns.length > 0) query.groupBy(columns.map((column) => raw(`f.${column}`)));
  const rows: SqlRow[] = await query.execute('all', false);
  // The edge lies within one hour, so within one bucket of any granularity.
  return rows.map((row) => group(plan, row, plan.granularity ? bucketStart(edge.from, plan.granularity) : null));
}

/** SQLite keeps times as epoch milliseconds; PostgreSQL's driver gives a Date or an ISO-like string. */
function readDate(value: SqlValue | undefined): Date {
  if (value instanceof Date) return value;
  const date = typeof value === 'string' && !/^\d+$/.test(value) ? new Date(value) : new Date(Number(value));
  if (Number.isNaN(date.getTime())) throw new Error(`not a time: ${String(value)}`);
  return date;
}

const text = (value: SqlValue | undefined) => (value === null || value === undefined ? null : String(value));
/** Sums are read as text: exact beyond 2^53 in both databases. */
const minorUnits = (value: SqlValue | undefined) => BigInt(text(value) ?? '0');

function group(plan: MetricsPlan, row: SqlRow, bucket: Date | null): MetricsGroup {
  return {
    bucket,
    channel: plan.groupBy.CHANNEL ? text(row['channel']) : null,
    merchantId: plan.groupBy.MERCHANT ? text(row['merchant_id']) : null,
    currency: plan.groupBy.CURRENCY ? text(row['currency']) : null,
    status: plan.groupBy.STATUS ? text(row['status']) : null,
    sums: {
      payments: Number(row['payments']),
      succeeded: Number(row['succeeded']),
      failed: Number(row['failed']),
      captured: minorUnits(row['captured']),
      refunded: minorUnits(row['refunded']),
      fee: minorUnits(row['fee']),
    },
  };
}

const groupKey = (g: MetricsGroup) => [g.bucket?.toISOString() ?? '', g.channel ?? '', g.merchantId ?? '', g.currency ?? '', g.status ?? ''].join('\u0000');

/** Adds up the groups of the rollup and of the edges that are the same row, in the order rows are answered. */
function merged(groups: MetricsGroup[]): MetricsGroup[] {
  const rows = new Map<string, MetricsGroup>();
  for (const g of groups) {
    const key = groupKey(g);
    const seen = rows.get(key);
    if (!seen) {
      rows.set(key, g);
      continue;
    }
    const a = seen.sums;
    const b = g.sums;
    seen.sums = {
      payments: a.payments + b.payments,
      succeeded: a.succeeded + b.succeeded,
      failed: a.failed + b.failed,
      captured: addMinorUnits(a.captured, b.captured, g.currency),
      refunded: addMinorUnits(a.refunded, b.refunded, g.currency),
      fee: addMinorUnits(a.fee, b.fee, g.currency),
    };
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

/**
 * Two partial sums of one row: Money of the row's currency. A row not grouped by currency sums minor
 * units of several currencies: a figure no measure reads as an amount (the amount measures need the
 * currency dimension), added as SQL's sum() added them.
 */
function addMinorUnits(a: bigint, b: bigint, currency: string | null): bigint {
  if (currency !== null) return add(money(a, currency), money(b, currency)).minor;
  // eslint-disable-next-line amounts/no-bigint-arithmetic -- minor units of several currencies: not an amount
  return a + b;
}

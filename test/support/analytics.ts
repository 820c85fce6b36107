import { join } from 'node:path';
import { decimalRatio, divideHalfUp, formatAmount, money } from '../../lib/money.js';
import { consumerCaughtUp } from './accounting.js';
import { paymentTable } from './payments.js';
import type { System } from './system.js';

/** The seed of a randomized test: ANALYTICS_SEED replays a run, else a fixed one. */
export const ANALYTICS_SEED = Number(process.env['ANALYTICS_SEED'] ?? 20261122);

export const MEASURES = ['GMV', 'PAYMENT_COUNT', 'SUCCEEDED_COUNT', 'FAILED_COUNT', 'SUCCESS_RATE', 'REFUNDED_AMOUNT', 'REFUND_RATE', 'FEE_REVENUE', 'AVERAGE_TICKET'] as const;
export const COUNT_MEASURES = ['PAYMENT_COUNT', 'SUCCEEDED_COUNT', 'FAILED_COUNT', 'SUCCESS_RATE'] as const;
export const DIMENSIONS = ['CHANNEL', 'MERCHANT', 'CURRENCY', 'STATUS'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Granularity = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';

export const METRICS_QUERY = `query($query: MetricsQuery!) {
  metrics(query: $query) { rows { bucket channel merchant { id } currency status values { measure value } } }
}`;

/** A metrics row reduced to what is compared: its key (bucket, channel, merchant, currency, status) and its values by measure. */
export type ComparableRows = Map<string, Record<string, string>>;

const rowKey = (row: { bucket: string | null; channel: string | null; merchant: string | null; currency: string | null; status: string | null }) =>
  JSON.stringify([row.bucket, row.channel, row.merchant, row.currency, row.status]);

/** The API's rows, keyed. */
export function comparable(rows: any[]): ComparableRows {
  return new Map(
    rows.map((row) => [
      rowKey({ ...row, merchant: row.merchant?.id ?? null }),
      Object.fromEntries(row.values.map((v: { measure: string; value: string }) => [v.measure, v.value])),
    ]),
  );
}

/** Waits until accounting has booked every payment event and analytics has applied every event of both. */
export const analyticsCaughtUp = (system: System): Promise<void> => consumerCaughtUp(system, 'analytics');

export interface BaselineQuery {
  measures: readonly string[];
  dimensions: readonly Dimension[];
  granularity: Granularity | null;
  from: Date;
  to: Date;
  merchantIds?: string[];
}

/** Time buckets as ISO strings, in each database's own SQL. */
const bucketSql: Record<'sqlite' | 'postgresql', Record<Granularity, string>> = {
  sqlite: {
    HOUR: "strftime('%Y-%m-%dT%H:00:00.000Z', p.created_at / 1000, 'unixepoch')",
    DAY: "strftime('%Y-%m-%dT00:00:00.000Z', p.created_at / 1000, 'unixepoch')",
    // to the Sunday ending the week (the day itself on a Sunday), then back to its Monday
    WEEK: "strftime('%Y-%m-%dT00:00:00.000Z', p.created_at / 1000, 'unixepoch', 'weekday 0', '-6 days')",
    MONTH: "strftime('%Y-%m-01T00:00:00.000Z', p.created_at / 1000, 'unixepoch')",
  },
  postgresql: {
    HOUR: `to_char(date_trunc('hour', p.created_at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    DAY: `to_char(date_trunc('day', p.created_at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    WEEK: `to_char(date_trunc('week', p.created_at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    MONTH: `to_char(date_trunc('month', p.created_at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  },
};

const dimensionSql: Record<Dimension, string> = { CHANNEL: 'p.channel', MERCHANT: 'p.merchant_id', CURRENCY: 'p.currency', STATUS: 'p.status' };
const amountMeasures = new Set(['GMV', 'REFUNDED_AMOUNT', 'REFUND_RATE', 'FEE_REVENUE', 'AVERAGE_TICKET']);

/**
 * What `metrics` should answer, from a direct SQL GROUP BY over the raw payments in the payment
 * subgraph's database, their succeeded refunds, and the fees in accounting's payment figures (the
 * accounting database is attached to the connection on SQLite; on PostgreSQL it is a schema beside).
 * The measures are then computed here from the sums: rates to 6 decimals and averages to the
 * currency's minor unit, rounded half up, and no value where a denominator is zero.
 */
export async function baselineMetrics(system: System, query: BaselineQuery): Promise<ComparableRows> {
  const dialect = system.payment.database.dialect;
  const grouped = DIMENSIONS.filter((d) => query.dimensions.includes(d) || (d === 'CURRENCY' && query.measures.some((m) => amountMeasures.has(m))));
  const keys = [...(query.granularity ? [`${bucketSql[dialect][query.granularity]} as bucket`] : []), ...grouped.map((d) => `${dimensionSql[d]} as ${d.toLowerCase()}`)];
  const groupBy = [...(query.granularity ? [bucketSql[dialect][query.granularity]] : []), ...grouped.map((d) => dimensionSql[d])];
  const time = (at: Date) => (dialect === 'postgresql' ? at : at.getTime());
  const merchants = query.merchantIds ?? [];
  const sql = `
    select ${[...keys, 'count(*) as payments'].join(', ')},
      sum(case when p.status = 'SUCCEEDED' then 1 else 0 end) as succeeded,
      sum(case when p.status = 'FAILED' then 1 else 0 end) as failed,
      cast(sum(p.amount_received) as text) as captured,
      cast(sum(coalesce(r.refunded, 0)) as text) as refunded,
      cast(sum(coalesce(f.fee, 0)) as text) as fee
    from ${paymentTable(system, 'payments')} p
    left join (select payment_id, sum(amount) as refunded from ${paymentTable(system, 'refunds')} where status = 'SUCCEEDED' group by payment_id) r
      on r.payment_id = p.id
    left join accounting.payment_figures f on f.payment_id = p.id
    where p.created_at >= ? and p.created_at < ?
      ${merchants.length > 0 ? `and p.merchant_id in (${merchants.map(() => '?').join(', ')})` : ''}
    ${groupBy.length > 0 ? `group by ${groupBy.join(', ')}` : ''}
    having count(*) > 0`;
  const connection = system.payment.database.fork().getConnection();
  const attached = dialect === 'sqlite';
  if (attached) await connection.execute('attach database ? as accounting', [join(system.dataDir, 'accounting.sqlite')]);
  try {
    const rows = await connection.execute<Record<string, string | number | null>[]>(sql, [time(query.from), time(query.to), ...merchants], 'all');
    return new Map(
      rows.map((row) => {
        const text = (value: string | number | null | undefined) => (value === null || value === undefined ? null : String(value));
        const key = rowKey({ bucket: text(row['bucket']), channel: text(row['channel']), merchant: text(row['merchant']), currency: text(row['currency']), status: text(row['status']) });
        const sums = {
          payments: Number(row['payments']!),
          succeeded: Number(row['succeeded']!),
          failed: Number(row['failed']!),
          captured: BigInt(row['captured']!),
          refunded: BigInt(row['refunded']!),
          fee: BigInt(row['fee']!),
        };
        return [key, expectedValues(query.measures, sums, text(row['currency']))];
      }),
    );
  } finally {
    if (attached) await connection.execute('detach database accounting');
  }
}

/** A row's facts: counts of payments and sums of amounts in minor units. */
type Sums = Record<'payments' | 'succeeded' | 'failed', number> & Record<'captured' | 'refunded' | 'fee', bigint>;

function expectedValues(measures: readonly string[], s: Sums, currency: string | null): Record<string, string> {
  // without a currency to write it in, an amount is its minor units
  const amount = (minor: bigint) => (currency === null ? minor.toString() : formatAmount(money(minor, currency)));
  const decided = s.succeeded + s.failed;
  const all: Record<string, string | null> = {
    GMV: amount(s.captured),
    PAYMENT_COUNT: String(s.payments),
    SUCCEEDED_COUNT: String(s.succeeded),
    FAILED_COUNT: String(s.failed),
    SUCCESS_RATE: decided === 0 ? null : decimalRatio(BigInt(s.succeeded), BigInt(decided), 6),
    REFUNDED_AMOUNT: amount(s.refunded),
    REFUND_RATE: s.captured === 0n ? null : decimalRatio(s.refunded, s.captured, 6),
    FEE_REVENUE: amount(s.fee),
    AVERAGE_TICKET: s.succeeded === 0 ? null : amount(divideHalfUp(s.captured, BigInt(s.succeeded))),
  };
  return Object.fromEntries(measures.flatMap((m) => (all[m] === null ? [] : [[m, all[m]!]])));
}

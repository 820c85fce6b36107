/**
 * What bench/history-metrics.ts asks, through the gateway and directly in SQL: a merchant's filtered
 * history page, and platform metrics per day, channel and currency over 90 days.
 */
import type { Dialect, Em } from '../lib/database.js';
import { parseExactAmount } from '../lib/money.js';

export const HISTORY_PAGE = `query($filter: TransactionFilter) {
  transactions(first: 20, filter: $filter) {
    edges { cursor node { id tradeNo type direction status channel occurredAt amount { amount currency } fee { amount } net { amount } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface HistoryFilter {
  merchantId: string;
  channel: string;
  status: string;
  occurredAfter: Date;
  occurredBefore: Date;
}

/** The page the transaction subgraph reads for that filter, as one statement: the merchant's records newest first, one more than a page. */
export async function historyPageSql(em: Em, dialect: Dialect, f: HistoryFilter): Promise<unknown[]> {
  const table = dialect === 'postgresql' ? '"transaction"."transactions"' : '"transactions"';
  const time = (at: Date) => (dialect === 'postgresql' ? at : at.getTime());
  return em.execute(
    `select id, trade_no, type, direction, status, channel, occurred_at, amount, currency, fee, net from ${table}
     where merchant_id = ? and channel in (?) and status in (?) and occurred_at > ? and occurred_at < ?
     order by occurred_at desc, id desc limit 21`,
    [f.merchantId, f.channel, f.status, time(f.occurredAfter), time(f.occurredBefore)],
  );
}

export const METRICS_MEASURES = ['GMV', 'PAYMENT_COUNT', 'SUCCEEDED_COUNT', 'FAILED_COUNT', 'SUCCESS_RATE', 'AVERAGE_TICKET'];

export const DAILY_METRICS = `query($query: MetricsQuery!) {
  metrics(query: $query) { rows { bucket channel currency values { measure value } } }
}`;

/** Per day, channel and currency: what the metrics above are computed from, by one GROUP BY over the raw payments. */
export interface DailySums {
  day: string;
  channel: string;
  currency: string;
  payments: number;
  succeeded: number;
  failed: number;
  captured: bigint;
}

const dailySql: Record<Dialect, string> = {
  postgresql: `select date_trunc('day', created_at at time zone 'UTC') at time zone 'UTC' as day, channel, currency, count(*) as payments,
      count(*) filter (where status = 'SUCCEEDED') as succeeded, count(*) filter (where status = 'FAILED') as failed, sum(amount_received) as captured
    from "payment"."payments" where created_at >= ? and created_at < ? group by 1, 2, 3 order by 1, 2, 3`,
  sqlite: `select (created_at / 86400000) * 86400000 as day, channel, currency, count(*) as payments,
      sum(status = 'SUCCEEDED') as succeeded, sum(status = 'FAILED') as failed, cast(sum(amount_received) as text) as captured
    from "payments" where created_at >= ? and created_at < ? group by 1, 2, 3 order by 1, 2, 3`,
};

/** SQLite's epoch milliseconds, or PostgreSQL's timestamp as a Date or as text. */
function readTime(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/^\d+$/.test(text) ? Number(text) : text);
}

export async function dailyMetricsSql(em: Em, dialect: Dialect, from: Date, to: Date): Promise<DailySums[]> {
  const time = (at: Date) => (dialect === 'postgresql' ? at : at.getTime());
  const rows = await em.execute<Record<string, unknown>[]>(dailySql[dialect], [time(from), time(to)]);
  return rows.map((row) => ({
    day: readTime(row['day']).toISOString(),
    channel: String(row['channel']),
    currency: String(row['currency']),
    payments: Number(row['payments']),
    succeeded: Number(row['succeeded']),
    failed: Number(row['failed']),
    captured: BigInt(String(row['captured'])),
  }));
}

/** The gateway's metrics rows reduced to the same sums, to check both answers agree before timing them. */
export function sumsOfMetrics(rows: { bucket: string; channel: string; currency: string; values: { measure: string; value: string }[] }[]): DailySums[] {
  return rows.map((row) => {
    const value = (measure: string) => row.values.find((v) => v.measure === measure)!.value;
    return {
      day: row.bucket,
      channel: row.channel,
      currency: row.currency,
      payments: Number(value('PAYMENT_COUNT')),
      succeeded: Number(value('SUCCEEDED_COUNT')),
      failed: Number(value('FAILED_COUNT')),
      captured: parseExactAmount(value('GMV'), row.currency).minor,
    };
  });
}

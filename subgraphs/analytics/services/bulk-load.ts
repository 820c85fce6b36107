import type { Dialect, Em } from '../../../lib/database.js';
import { DailyRollup } from '../entities/DailyRollup.js';
import { HourlyRollup } from '../entities/HourlyRollup.js';
import { PaymentFact } from '../entities/PaymentFact.js';

/**
 * The bulk path, for loading many payments at once (`npm run seed`) instead of event by event: the
 * facts are inserted in bulk (`insertFacts`), then both rollups are rebuilt from all the facts
 * (`rebuildRollups`). What the events would have built is the same: the rollups are by definition
 * the facts summed per row, and the buckets are computed in SQL exactly as services/time-buckets.ts
 * computes them (UTC; weeks from Monday).
 */
export async function insertFacts(em: Em, facts: PaymentFact[]): Promise<void> {
  if (facts.length > 0) await em.insertMany(PaymentFact, facts);
}

/** A fact's hour, day, week and month as each database computes them from `created_at`. */
const bucketSql: Record<Dialect, Record<'hour' | 'day' | 'week' | 'month', string>> = {
  // SQLite keeps times as epoch milliseconds; 1970-01-01 was a Thursday, 3 days after a Monday.
  sqlite: {
    hour: '(created_at / 3600000) * 3600000',
    day: '(created_at / 86400000) * 86400000',
    week: '(created_at / 86400000 - (created_at / 86400000 + 3) % 7) * 86400000',
    month: "cast(strftime('%s', created_at / 1000, 'unixepoch', 'start of month') as integer) * 1000",
  },
  postgresql: {
    hour: "date_trunc('hour', created_at at time zone 'UTC') at time zone 'UTC'",
    day: "date_trunc('day', created_at at time zone 'UTC') at time zone 'UTC'",
    week: "date_trunc('week', created_at at time zone 'UTC') at time zone 'UTC'",
    month: "date_trunc('month', created_at at time zone 'UTC') at time zone 'UTC'",
  },
};

/**
 * Rebuilds the hourly rollup from the facts and the daily rollup from the hourly one: one INSERT …
 * SELECT … GROUP BY each, in one transaction. On PostgreSQL it first locks the facts and both rollups
 * against writers, in the order the consumers take them (facts first), so a consumer applying an
 * event meanwhile waits for it and then adds its change to the rebuilt rows; SQLite has one writer.
 * Returns the number of rows of each rollup.
 */
export async function rebuildRollups(em: Em, dialect: Dialect): Promise<{ hourly: number; daily: number }> {
  return em.fork().transactional(async (tx) => {
    const schema = tx.config.get('schema');
    const table = (name: string) => (dialect === 'postgresql' && schema ? `"${schema}"."${name}"` : `"${name}"`);
    const facts = table(PaymentFact.meta.tableName);
    const hourly = table(HourlyRollup.meta.tableName);
    const daily = table(DailyRollup.meta.tableName);
    // SQLite stores minor units as text, and sums text digits as integers: cast the sums back.
    const sum = (column: string) => (dialect === 'sqlite' ? `cast(sum(${column}) as text)` : `sum(${column})`);
    const b = bucketSql[dialect];
    if (dialect === 'postgresql') await tx.execute(`lock table ${facts}, ${hourly}, ${daily} in exclusive mode`, [], 'run');
    await tx.execute(`delete from ${daily}`, [], 'run');
    await tx.execute(`delete from ${hourly}`, [], 'run');
    await tx.execute(
      `insert into ${hourly} (hour_start, merchant_id, channel, currency, status, day_start, week_start, month_start, payments, captured, refunded, fee)
       select hour_start, merchant_id, channel, currency, status, day_start, week_start, month_start, count(*), ${sum('captured')}, ${sum('refunded')}, ${sum('fee')}
       from (select ${b.hour} as hour_start, ${b.day} as day_start, ${b.week} as week_start, ${b.month} as month_start, merchant_id, channel, currency, status, captured, refunded, fee
             from ${facts} where status is not null and created_at is not null) f
       group by hour_start, merchant_id, channel, currency, status, day_start, week_start, month_start`,
      [],
      'run',
    );
    await tx.execute(
      `insert into ${daily} (day_start, channel, currency, status, week_start, month_start, payments, captured, refunded, fee)
       select day_start, channel, currency, status, week_start, month_start, sum(payments), ${sum('captured')}, ${sum('refunded')}, ${sum('fee')}
       from ${hourly} group by day_start, channel, currency, status, week_start, month_start`,
      [],
      'run',
    );
    const count = async (name: string) => Number((await tx.execute<{ n: number | string }[]>(`select count(*) as n from ${name}`))[0]?.n ?? 0);
    return { hourly: await count(hourly), daily: await count(daily) };
  });
}

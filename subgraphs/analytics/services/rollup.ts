import type { Em } from '../../../lib/database.js';
import { HourlyRollup } from '../entities/HourlyRollup.js';
import type { PaymentFact } from '../entities/PaymentFact.js';
import { hourBuckets } from './time-buckets.js';

/** What one payment adds to its rollup row: one payment and its sums, at the row of its hour and status. */
export interface Contribution {
  hourStart: Date;
  merchantId: string;
  channel: string;
  currency: string;
  status: string;
  payments: number;
  captured: bigint;
  refunded: bigint;
  fee: bigint;
}

/** A fact's contribution; none until the payment's own events have given it a status and a creation time. */
export function contributionOf(fact: PaymentFact): Contribution | null {
  if (fact.status === null || fact.status === undefined || !fact.createdAt) return null;
  const { merchantId, channel, currency, status, captured, refunded, fee } = fact;
  return { hourStart: hourBuckets(fact.createdAt).hourStart, merchantId, channel, currency, status, payments: 1, captured, refunded, fee };
}

const rowKey = (c: Contribution) => [c.hourStart.toISOString(), c.merchantId, c.channel, c.currency, c.status].join('\u0000');

const negated = (c: Contribution): Contribution => ({ ...c, payments: -c.payments, captured: -c.captured, refunded: -c.refunded, fee: -c.fee });

/**
 * The changes to rollup rows that replace `before` with `after`: one row when the payment stays in it,
 * else its contribution leaves the old row and joins the new one. Sorted by row, so that concurrent
 * transactions lock rows in one order and cannot deadlock.
 */
export function rollupDeltas(before: Contribution | null, after: Contribution | null): Contribution[] {
  const deltas = new Map<string, Contribution>();
  for (const change of [before && negated(before), after]) {
    if (!change) continue;
    const key = rowKey(change);
    const seen = deltas.get(key);
    deltas.set(key, seen ? { ...seen, payments: seen.payments + change.payments, captured: seen.captured + change.captured, refunded: seen.refunded + change.refunded, fee: seen.fee + change.fee } : change);
  }
  return [...deltas.entries()]
    .filter(([, d]) => d.payments !== 0 || d.captured !== 0n || d.refunded !== 0n || d.fee !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d);
}

const summed = ['payments', 'captured', 'refunded', 'fee'] as const;

/**
 * Adds the deltas to their rollup rows, in the caller's transaction: one INSERT … ON CONFLICT DO UPDATE
 * per row, adding in SQL, so concurrent writers of one row never lose an update.
 */
export async function applyRollupDeltas(tx: Em, deltas: Contribution[]): Promise<void> {
  const knex = tx.getKnex();
  for (const delta of deltas) {
    const { hourStart, dayStart, weekStart, monthStart } = hourBuckets(delta.hourStart);
    await tx
      .createQueryBuilder(HourlyRollup)
      .insert({ ...delta, dayStart, weekStart, monthStart, hourStart })
      .onConflict(['hourStart', 'merchantId', 'channel', 'currency', 'status'])
      .merge(Object.fromEntries(summed.map((column) => [column, knex.raw('?? + excluded.??', [`${HourlyRollup.meta.tableName}.${column}`, column])])))
      .execute();
  }
}

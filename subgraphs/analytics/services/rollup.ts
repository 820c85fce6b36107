import type { EntityData, EntitySchema, RequiredEntityData } from '@mikro-orm/core';
import type { Em } from '../../../lib/database.js';
import { add, isZero, money, negate, type Money } from '../../../lib/money.js';
import { DailyRollup } from '../entities/DailyRollup.js';
import { HourlyRollup } from '../entities/HourlyRollup.js';
import type { PaymentFact } from '../entities/PaymentFact.js';
import { hourBuckets } from './time-buckets.js';

/** What one payment adds to its rollup rows: one payment and its sums, at the rows of its hour (day) and status. */
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

const summed = ['payments', 'captured', 'refunded', 'fee'] as const;
type Sums = Pick<Contribution, (typeof summed)[number]>;
const sumsOf = ({ payments, captured, refunded, fee }: Sums): Sums => ({ payments, captured, refunded, fee });

/**
 * Adds each row's sums to its row of a rollup (created when missing) in the caller's transaction, in
 * one INSERT … ON CONFLICT DO UPDATE adding in SQL, so concurrent writers of one row never lose an
 * update. The rows are distinct and in key order: the order the statement writes, and so locks, them.
 */
async function addToRows<T extends object>(tx: Em, entity: EntitySchema<T>, keys: (keyof T & string)[], rows: RequiredEntityData<T>[]): Promise<void> {
  const knex = tx.getKnex();
  await tx
    .createQueryBuilder(entity)
    .insert(rows)
    .onConflict(keys)
    .merge(Object.fromEntries(summed.map((column) => [column, knex.raw('?? + excluded.??', [`${entity.meta.tableName}.${column}`, column])])) as EntityData<T>)
    .execute();
}

/**
 * The rollups a payment is counted in, in the order a transaction writes (and so locks) their rows:
 * how a contribution names its row in each (the key that sorts the writes), and how to add to it.
 */
const rollups = [
  {
    name: 'hourly',
    key: (c: Contribution) => [c.hourStart.toISOString(), c.merchantId, c.channel, c.currency, c.status].join('\u0000'),
    add: (tx: Em, changes: Contribution[]) =>
      addToRows(
        tx,
        HourlyRollup,
        ['hourStart', 'merchantId', 'channel', 'currency', 'status'],
        changes.map(({ hourStart, merchantId, channel, currency, status, ...sums }) => ({ ...hourBuckets(hourStart), merchantId, channel, currency, status, ...sumsOf(sums) })),
      ),
  },
  {
    name: 'daily',
    key: (c: Contribution) => [hourBuckets(c.hourStart).dayStart.toISOString(), c.channel, c.currency, c.status].join('\u0000'),
    add: (tx: Em, changes: Contribution[]) =>
      addToRows(
        tx,
        DailyRollup,
        ['dayStart', 'channel', 'currency', 'status'],
        changes.map(({ hourStart, channel, currency, status, ...sums }) => {
          const { dayStart, weekStart, monthStart } = hourBuckets(hourStart);
          return { dayStart, weekStart, monthStart, channel, currency, status, ...sumsOf(sums) };
        }),
      ),
  },
] as const;

/** A change to one row of one rollup: the contribution names the row, its sums are what to add. */
export interface RollupDelta {
  rollup: (typeof rollups)[number];
  change: Contribution;
}

const amounts = ['captured', 'refunded', 'fee'] as const;

/** A contribution with each of its amounts (Money in its currency) changed by `f`, and `payments` as its count. */
function mapped(c: Contribution, payments: number, f: (amount: Money, column: (typeof amounts)[number]) => Money): Contribution {
  const changed = Object.fromEntries(amounts.map((column) => [column, f(money(c[column], c.currency), column).minor]));
  return { ...c, ...changed, payments };
}

const negated = (c: Contribution): Contribution => mapped(c, -c.payments, negate);
const combined = (a: Contribution, b: Contribution): Contribution =>
  mapped(a, a.payments + b.payments, (amount, column) => add(amount, money(b[column], b.currency)));
const isEmpty = (c: Contribution): boolean => c.payments === 0 && amounts.every((column) => isZero(money(c[column], c.currency)));

/** A payment's contribution before and after a change (null: it counts nowhere). */
export interface ContributionChange {
  before: Contribution | null;
  after: Contribution | null;
}

/**
 * The changes to rollup rows that replace each `before` with its `after`, in each rollup, added up
 * per row: one delta per touched row, however many payments and events touch it (a payment that
 * stays in its row changes it once; else its contribution leaves the old row and joins the new one).
 * Rows whose delta is nothing are left out. Ordered by rollup (hourly, then daily) and by row within
 * each, so that concurrent transactions lock rows in one order and cannot deadlock.
 */
export function rollupDeltas(changes: readonly ContributionChange[]): RollupDelta[] {
  return rollups.flatMap((rollup) => {
    const deltas = new Map<string, Contribution>();
    for (const { before, after } of changes) {
      for (const change of [before && negated(before), after]) {
        if (!change) continue;
        const key = rollup.key(change);
        const seen = deltas.get(key);
        deltas.set(key, seen ? combined(seen, change) : change);
      }
    }
    return [...deltas.entries()]
      .filter(([, d]) => !isEmpty(d))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, change]) => ({ rollup, change }));
  });
}

/** Adds the deltas to their rollup rows, in the caller's transaction: one statement per rollup touched, its rows in the deltas' order. */
export async function applyRollupDeltas(tx: Em, deltas: readonly RollupDelta[]): Promise<void> {
  for (const rollup of rollups) {
    const changes = deltas.filter((delta) => delta.rollup === rollup).map((delta) => delta.change);
    if (changes.length > 0) await rollup.add(tx, changes);
  }
}

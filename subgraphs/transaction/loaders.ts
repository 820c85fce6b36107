import DataLoader from 'dataloader';
import type { Em } from '../../lib/database.js';
import { keyedLookup } from '../../lib/plain-rows.js';
import { TransactionRecord } from './entities/TransactionRecord.js';

const recordsById = keyedLookup(TransactionRecord, (qb, ids) => qb.select('*').where({ id: { $in: ids } }));
const recordsByPayment = keyedLookup(TransactionRecord, (qb, paymentIds) =>
  qb.select('*').where({ paymentId: { $in: paymentIds } }).orderBy({ occurredAt: 'asc', id: 'asc' }),
);

/** One statement per batch, read as plain rows: a page of payments costs one statement for all their records. */
export function createLoaders(em: Em) {
  return {
    transaction: new DataLoader<string, TransactionRecord | null>(async (ids) => {
      const found = new Map((await recordsById(em, ids)).map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    transactionsByPayment: new DataLoader<string, TransactionRecord[]>(async (paymentIds) => {
      const byPayment = new Map<string, TransactionRecord[]>(paymentIds.map((id) => [id, []]));
      for (const row of await recordsByPayment(em, paymentIds)) byPayment.get(row.paymentId)?.push(row);
      return paymentIds.map((id) => byPayment.get(id) ?? []);
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;

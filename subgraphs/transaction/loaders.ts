import DataLoader from 'dataloader';
import type { Em } from '../../lib/database.js';
import { TransactionRecord } from './entities/TransactionRecord.js';

/** One query per batch: a page of payments costs one statement for all their records. */
export function createLoaders(em: Em) {
  return {
    transaction: new DataLoader<string, TransactionRecord | null>(async (ids) => {
      const found = new Map((await em.find(TransactionRecord, { id: { $in: [...ids] } })).map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    transactionsByPayment: new DataLoader<string, TransactionRecord[]>(async (paymentIds) => {
      const rows = await em.find(TransactionRecord, { paymentId: { $in: [...paymentIds] } }, { orderBy: { occurredAt: 'asc', id: 'asc' } });
      const byPayment = new Map<string, TransactionRecord[]>(paymentIds.map((id) => [id, []]));
      for (const row of rows) byPayment.get(row.paymentId)?.push(row);
      return paymentIds.map((id) => byPayment.get(id) ?? []);
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;

import DataLoader from 'dataloader';
import type { Em } from '../../lib/database.js';
import { Merchant } from './entities/Merchant.js';
import { Payment } from './entities/Payment.js';
import { Refund } from './entities/Refund.js';

function byKey<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
}

/** One query per entity type per batch: every by-key lookup of a request goes through these. */
export function createLoaders(em: Em) {
  return {
    merchant: new DataLoader<string, Merchant | null>(async (ids) => byKey(ids, await em.find(Merchant, { id: { $in: [...ids] } }))),
    payment: new DataLoader<string, Payment | null>(async (ids) => byKey(ids, await em.find(Payment, { id: { $in: [...ids] } }))),
    refund: new DataLoader<string, Refund | null>(async (ids) => byKey(ids, await em.find(Refund, { id: { $in: [...ids] } }))),
    refundsByPayment: new DataLoader<string, Refund[]>(async (paymentIds) => {
      const refunds = await em.find(Refund, { paymentId: { $in: [...paymentIds] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      const byPayment = new Map<string, Refund[]>(paymentIds.map((id) => [id, []]));
      for (const refund of refunds) byPayment.get(refund.paymentId)?.push(refund);
      return paymentIds.map((id) => byPayment.get(id) ?? []);
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;

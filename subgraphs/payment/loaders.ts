import type { EntityName } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import type { Em } from '../../lib/database.js';
import { Merchant } from './entities/Merchant.js';
import { Payment } from './entities/Payment.js';
import { Refund } from './entities/Refund.js';
import { placeholders, plainTable, selectPlain } from './services/plain-rows.js';

function byKey<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
}

/** By ids, one statement per batch, as plain rows (they are only read). */
function byIds<T extends { id: string }>(em: Em, entity: EntityName<T>) {
  return async (ids: readonly string[]) => {
    const table = plainTable(em, entity);
    return byKey(ids, await selectPlain(em, table, `${table.column('id')} in (${placeholders(ids.length)})`, [...ids]));
  };
}

/** One query per entity type per batch: every by-key lookup of a request goes through these. */
export function createLoaders(em: Em) {
  return {
    merchant: new DataLoader<string, Merchant | null>(byIds<Merchant>(em, Merchant)),
    payment: new DataLoader<string, Payment | null>(byIds<Payment>(em, Payment)),
    refund: new DataLoader<string, Refund | null>(byIds<Refund>(em, Refund)),
    refundsByPayment: new DataLoader<string, Refund[]>(async (paymentIds) => {
      const table = plainTable(em, Refund);
      const refunds = await selectPlain(em, table, `${table.column('paymentId')} in (${placeholders(paymentIds.length)})`, [...paymentIds], `order by ${table.column('createdAt')} asc, ${table.column('id')} asc`);
      const byPayment = new Map<string, Refund[]>(paymentIds.map((id) => [id, []]));
      for (const refund of refunds) byPayment.get(refund.paymentId)?.push(refund);
      return paymentIds.map((id) => byPayment.get(id) ?? []);
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;

import DataLoader from 'dataloader';
import type { Em } from '../../lib/database.js';
import { Merchant } from './entities/Merchant.js';
import { Payment } from './entities/Payment.js';
import { Refund } from './entities/Refund.js';
import { keyedLookup, selectPlain } from '../../lib/plain-rows.js';
import { OutboxEvent } from '../../lib/events/outbox.js';
import { partnerEventRecord, type PartnerEventRecord } from './services/event-log.js';

function byKey<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
}

// by ids (and a payment's refunds), one statement per batch, as plain rows: they are only read
const merchantsById = keyedLookup(Merchant, (qb, ids) => qb.select('*').where({ id: { $in: ids } }));
const paymentsById = keyedLookup(Payment, (qb, ids) => qb.select('*').where({ id: { $in: ids } }));
const refundsById = keyedLookup(Refund, (qb, ids) => qb.select('*').where({ id: { $in: ids } }));
const refundsOf = keyedLookup(Refund, (qb, paymentIds) => qb.select('*').where({ paymentId: { $in: paymentIds } }).orderBy({ createdAt: 'asc', id: 'asc' }));

/** One query per entity type per batch: every by-key lookup of a request goes through these. */
export function createLoaders(em: Em) {
  return {
    merchant: new DataLoader<string, Merchant | null>(async (ids) => byKey(ids, await merchantsById(em, ids))),
    payment: new DataLoader<string, Payment | null>(async (ids) => byKey(ids, await paymentsById(em, ids))),
    refund: new DataLoader<string, Refund | null>(async (ids) => byKey(ids, await refundsById(em, ids))),
    // events by outbox id (numbers: the shared keyed lookup binds text keys)
    event: new DataLoader<number, PartnerEventRecord | null>(async (ids) => {
      const rows = await selectPlain(em, OutboxEvent, em.createQueryBuilder(OutboxEvent).select('*').where({ id: { $in: [...ids] } }));
      const found = new Map(rows.map((row) => [row.id, partnerEventRecord(row)]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    refundsByPayment: new DataLoader<string, Refund[]>(async (paymentIds) => {
      const refunds = await refundsOf(em, paymentIds);
      const byPayment = new Map<string, Refund[]>(paymentIds.map((id) => [id, []]));
      for (const refund of refunds) byPayment.get(refund.paymentId)?.push(refund);
      return paymentIds.map((id) => byPayment.get(id) ?? []);
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;

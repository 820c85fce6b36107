import type { FilterQuery } from '@mikro-orm/core';
import type { Em } from '../../../lib/database.js';
import { fail } from '../../../lib/errors.js';
import { decodeCursor, toPage, validatePageSize, type Page } from '../../../lib/pagination.js';
import type { Principal } from '../../../lib/principal.js';
import { Payment, type PaymentChannel, type PaymentStatus } from '../entities/Payment.js';
import { selectPlain } from '../../../lib/plain-rows.js';

export interface PaymentFilter {
  status?: PaymentStatus[] | null;
  channel?: PaymentChannel[] | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
}

/**
 * The payments a principal may see, newest first, a page at a time (keyset pagination on createdAt, id):
 * one statement, plain rows (a page is only read).
 */
export async function listPayments(
  em: Em,
  principal: Principal,
  args: { first?: number | null; after?: string | null; filter?: PaymentFilter | null },
): Promise<Page<Payment>> {
  const size = validatePageSize(args.first);
  const filter = args.filter ?? {};
  if (filter.createdAfter && filter.createdBefore && filter.createdAfter >= filter.createdBefore) {
    throw fail.badInput('filter.createdAfter', 'must be before filter.createdBefore');
  }
  const conditions: FilterQuery<Payment>[] = [];
  if (principal.merchantId) conditions.push({ merchantId: principal.merchantId });
  if (filter.status?.length) conditions.push({ status: { $in: filter.status } });
  if (filter.channel?.length) conditions.push({ channel: { $in: filter.channel } });
  if (filter.createdAfter) conditions.push({ createdAt: { $gt: filter.createdAfter } });
  if (filter.createdBefore) conditions.push({ createdAt: { $lt: filter.createdBefore } });
  if (args.after) {
    const cursor = decodeCursor(args.after);
    conditions.push({ $or: [{ createdAt: { $lt: cursor.at } }, { createdAt: cursor.at, id: { $lt: cursor.id } }] });
  }
  const query = em.createQueryBuilder(Payment).select('*').where({ $and: conditions }).orderBy({ createdAt: 'desc', id: 'desc' }).limit(size + 1);
  const rows = await selectPlain(em, Payment, query);
  return toPage(rows, size, (payment) => ({ at: payment.createdAt, id: payment.id }));
}

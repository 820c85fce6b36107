import type { FilterQuery } from '@mikro-orm/core';
import type { Em } from '../../../lib/database.js';
import { fail } from '../../../lib/errors.js';
import { selectPlain } from '../../../lib/plain-rows.js';
import { decodeCursor, toPage, validatePageSize, type CursorPosition, type Page } from '../../../lib/pagination.js';
import type { Principal } from '../../../lib/principal.js';
import {
  TransactionRecord,
  type PaymentChannel,
  type TransactionDirection,
  type TransactionStatus,
  type TransactionType,
} from '../entities/TransactionRecord.js';
import { typesWithDirection } from './movements.js';

export interface TransactionFilter {
  type?: TransactionType[] | null;
  direction?: TransactionDirection[] | null;
  channel?: PaymentChannel[] | null;
  status?: TransactionStatus[] | null;
  occurredAfter?: Date | null;
  occurredBefore?: Date | null;
  paymentId?: string | null;
}

/** Rows before a position in newest-first order; the first bound lets an index on (…, occurredAt, id) start there. */
export function before(position: CursorPosition): FilterQuery<TransactionRecord> {
  return { occurredAt: { $lte: position.at }, $or: [{ occurredAt: { $lt: position.at } }, { id: { $lt: position.id } }] };
}

/** The records a principal may see: a merchant-bound key its merchant's, ADMIN and platform-wide ANALYST every merchant's. */
export function visibleTo(principal: Principal): FilterQuery<TransactionRecord> {
  return principal.merchantId ? { merchantId: principal.merchantId } : {};
}

function conditions(filter: TransactionFilter): FilterQuery<TransactionRecord>[] {
  const where: FilterQuery<TransactionRecord>[] = [];
  if (filter.occurredAfter && filter.occurredBefore && filter.occurredAfter >= filter.occurredBefore) {
    throw fail.badInput('filter.occurredAfter', 'must be before filter.occurredBefore');
  }
  if (filter.type?.length) where.push({ type: { $in: filter.type } });
  if (filter.direction?.length) where.push({ type: { $in: typesWithDirection(filter.direction) } });
  if (filter.channel?.length) where.push({ channel: { $in: filter.channel } });
  if (filter.status?.length) where.push({ status: { $in: filter.status } });
  if (filter.occurredAfter) where.push({ occurredAt: { $gt: filter.occurredAfter } });
  if (filter.paymentId) where.push({ paymentId: filter.paymentId });
  return where;
}

/**
 * The caller's transaction records, newest first, a page at a time: keyset pagination on
 * (occurredAt, id), which never change, so pages neither skip nor repeat a record while new ones
 * arrive. An empty filter list filters nothing, as in `payments`. Rows are read plain (a page only shows them).
 */
export async function listTransactions(
  em: Em,
  principal: Principal,
  args: { first?: number | null; after?: string | null; filter?: TransactionFilter | null },
): Promise<Page<TransactionRecord>> {
  const size = validatePageSize(args.first);
  const filter = args.filter ?? {};
  const where = [visibleTo(principal), ...conditions(filter)];
  // One upper bound only, the tighter of the cursor and occurredBefore: given two, SQLite may start its index scan at the looser.
  const cursor = args.after ? decodeCursor(args.after) : null;
  if (cursor && !(filter.occurredBefore && filter.occurredBefore <= cursor.at)) where.push(before(cursor));
  else if (filter.occurredBefore) where.push({ occurredAt: { $lt: filter.occurredBefore } });
  const rows = await selectPlain(
    em,
    TransactionRecord,
    em.createQueryBuilder(TransactionRecord).select('*').where({ $and: where }).orderBy({ occurredAt: 'desc', id: 'desc' }).limit(size + 1),
  );
  return toPage(rows, size, (record) => ({ at: record.occurredAt, id: record.id }));
}

import type { Em } from '../../../lib/database.js';
import { fail } from '../../../lib/errors.js';
import { decodeCursor, toPage, validatePageSize, type Page } from '../../../lib/pagination.js';
import type { Principal } from '../../../lib/principal.js';
import { Payment, type PaymentChannel, type PaymentStatus } from '../entities/Payment.js';
import { dateParameter, placeholders, plainTable, selectPlain } from './plain-rows.js';

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
  const table = plainTable(em, Payment);
  const createdAt = table.column('createdAt');
  const id = table.column('id');
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const where = (condition: string, ...values: unknown[]) => {
    conditions.push(condition);
    parameters.push(...values);
  };
  if (principal.merchantId) where(`${table.column('merchantId')} = ?`, principal.merchantId);
  if (filter.status?.length) where(`${table.column('status')} in (${placeholders(filter.status.length)})`, ...filter.status);
  if (filter.channel?.length) where(`${table.column('channel')} in (${placeholders(filter.channel.length)})`, ...filter.channel);
  if (filter.createdAfter) where(`${createdAt} > ?`, dateParameter(em, filter.createdAfter));
  if (filter.createdBefore) where(`${createdAt} < ?`, dateParameter(em, filter.createdBefore));
  if (args.after) {
    const cursor = decodeCursor(args.after);
    const at = dateParameter(em, cursor.at);
    where(`(${createdAt} < ? or (${createdAt} = ? and ${id} < ?))`, at, at, cursor.id);
  }
  const rows = await selectPlain(em, table, conditions.length ? conditions.join(' and ') : '1 = 1', parameters, `order by ${createdAt} desc, ${id} desc limit ${size + 1}`);
  return toPage(rows, size, (payment) => ({ at: payment.createdAt, id: payment.id }));
}

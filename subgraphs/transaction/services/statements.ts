import type { FilterQuery } from '@mikro-orm/core';
import type { Em } from '../../../lib/database.js';
import { fail } from '../../../lib/errors.js';
import { formatAmount, money } from '../../../lib/money.js';
import type { CursorPosition } from '../../../lib/pagination.js';
import type { Principal } from '../../../lib/principal.js';
import { TransactionRecord } from '../entities/TransactionRecord.js';
import { csvRecord } from './csv.js';

/** A merchant's records with occurredAt in [from, to). */
export interface StatementScope {
  merchantId: string;
  from: Date;
  to: Date;
}

export const STATEMENT_BATCH_SIZE = 1000;

const timestamp = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** An ISO-8601 timestamp with a zone, or a date (its 00:00 UTC). */
function parseBound(value: unknown, field: string): Date {
  if (value === undefined || value === null || value === '') throw fail.badInput(field, 'is required (e.g. 2026-11-01 or 2026-11-01T00:00:00Z)');
  const at = typeof value === 'string' && timestamp.test(value) ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime())) throw fail.badInput(field, 'must be an ISO-8601 date or timestamp with a zone, e.g. 2026-11-01 or 2026-11-01T00:00:00Z');
  return at;
}

/**
 * Whose statement, for which range. A merchant-bound key (MERCHANT, or ANALYST with a merchant) gets
 * its own merchant's; ADMIN and a platform-wide ANALYST name the merchant.
 */
export function statementScope(principal: Principal, request: { merchantId?: unknown; from?: unknown; to?: unknown }): StatementScope {
  const from = parseBound(request.from, 'from');
  const to = parseBound(request.to, 'to');
  if (to <= from) throw fail.badInput('to', 'must be after from');
  const named = request.merchantId === undefined || request.merchantId === null || request.merchantId === '' ? null : request.merchantId;
  if (named !== null && typeof named !== 'string') throw fail.badInput('merchantId', 'must be a merchant id');
  if (principal.merchantId) {
    if (named !== null && named !== principal.merchantId) throw fail.forbidden("This API key may only read its own merchant's statements");
    return { merchantId: principal.merchantId, from, to };
  }
  if (principal.role === 'MERCHANT') throw fail.forbidden('This API key has no merchant');
  if (named === null) throw fail.badInput('merchantId', 'is required with a platform-wide key');
  return { merchantId: named, from, to };
}

export const STATEMENT_COLUMNS = [
  'trade_no',
  'occurred_at',
  'type',
  'direction',
  'status',
  'channel',
  'currency',
  'amount',
  'fee',
  'net',
  'transaction_id',
  'payment_id',
  'refund_id',
] as const;

/** One record as a CSV line: amounts exactly as the API shows them (the currency's decimals, no float). */
export function statementLine(record: TransactionRecord): string {
  const amount = (minor: bigint) => formatAmount(money(minor, record.currency));
  return csvRecord([
    record.tradeNo,
    record.occurredAt.toISOString(),
    record.type,
    record.direction,
    record.status,
    record.channel,
    record.currency,
    amount(record.amount),
    amount(record.fee),
    amount(record.net),
    record.id,
    record.paymentId,
    record.refundId ?? '',
  ]);
}

function afterPosition(position: CursorPosition): FilterQuery<TransactionRecord> {
  return { occurredAt: { $gte: position.at }, $or: [{ occurredAt: { $gt: position.at } }, { id: { $gt: position.id } }] };
}

/**
 * The statement as CSV text, header first, then the records oldest first, read in keyset batches of
 * `batchSize`, each with a fresh EntityManager so that nothing accumulates: memory stays constant
 * however many rows there are. The consumer pulls: a slow reader slows the reads.
 */
export async function* statementChunks(fork: () => Em, scope: StatementScope, batchSize = STATEMENT_BATCH_SIZE): AsyncGenerator<string> {
  yield csvRecord(STATEMENT_COLUMNS);
  let last: CursorPosition | null = null;
  for (;;) {
    const where: FilterQuery<TransactionRecord>[] = [{ merchantId: scope.merchantId }, { occurredAt: { $gte: scope.from, $lt: scope.to } }, ...(last ? [afterPosition(last)] : [])];
    const rows: TransactionRecord[] = await fork().find(TransactionRecord, { $and: where }, { orderBy: { occurredAt: 'asc', id: 'asc' }, limit: batchSize });
    if (rows.length > 0) yield rows.map(statementLine).join('');
    if (rows.length < batchSize) return;
    const end = rows.at(-1)!;
    last = { at: end.occurredAt, id: end.id };
  }
}

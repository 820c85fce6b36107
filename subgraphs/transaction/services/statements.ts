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

/** A record as a statement reads it: plain rows, not entities (hydrating entities costs several times the query). */
type StatementRecord = Omit<TransactionRecord, 'amount' | 'fee' | 'net'> & { amount: string | bigint; fee: string | bigint; net: string | bigint };

/** One record as a CSV line: amounts exactly as the API shows them (the currency's decimals, no float). */
export function statementLine(record: StatementRecord): string {
  const amount = (minor: string | bigint) => formatAmount(money(BigInt(minor), record.currency));
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
 * `batchSize` as plain rows: nothing accumulates, so memory stays constant however many rows there
 * are. The consumer pulls: a batch is read only when the previous one has been taken.
 */
export async function* statementChunks(em: Em, scope: StatementScope, batchSize = STATEMENT_BATCH_SIZE): AsyncGenerator<string> {
  yield csvRecord(STATEMENT_COLUMNS);
  let last: CursorPosition | null = null;
  for (;;) {
    // One lower bound only (the cursor's once there is one): given two, SQLite may start its index scan at the looser.
    const where: FilterQuery<TransactionRecord>[] = [
      { merchantId: scope.merchantId },
      { occurredAt: { $lt: scope.to } },
      last ? afterPosition(last) : { occurredAt: { $gte: scope.from } },
    ];
    const rows = await em
      .createQueryBuilder(TransactionRecord)
      .select('*')
      .where({ $and: where })
      .orderBy({ occurredAt: 'asc', id: 'asc' })
      .limit(batchSize)
      .execute<StatementRecord[]>('all');
    if (rows.length > 0) yield rows.map(statementLine).join('');
    if (rows.length < batchSize) return;
    const end = rows.at(-1)!;
    last = { at: end.occurredAt, id: end.id };
  }
}

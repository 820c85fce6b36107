import type { EntitySchema } from '@mikro-orm/core';
import type { Em } from '../../lib/database.js';
import { AccountBalance } from './entities/AccountBalance.js';
import { LedgerEntry, type EntrySide } from './entities/LedgerEntry.js';
import { PaymentFigures } from './entities/PaymentFigures.js';

/**
 * Lean reads for the hot by-key lookups of a request: plain rows by one SQL statement, no entity,
 * no identity map, no change set (hydrating a page's rows into managed entities was most of
 * accounting's CPU per page). Rows come back as each driver gives them and are converted here:
 * minor units are text on SQLite and bigint (read as text) on PostgreSQL; datetimes are epoch
 * milliseconds on SQLite and Date on PostgreSQL.
 */

/** What a payment's fields need of its figures. */
export type FiguresView = Pick<PaymentFigures, 'paymentId' | 'merchantId' | 'currency' | 'captured' | 'fee'>;

type Row = Record<string, unknown>;

/** The table of an entity as SQL names it: schema-qualified on PostgreSQL. */
export function tableOf(em: Em, entity: EntitySchema<any, any>): string {
  const { tableName } = em.getMetadata().get(entity.meta.className);
  // only PostgreSQL is given a schema (lib/database.ts): the subgraph's own
  const schema = em.config.get('schema');
  return schema ? `"${schema}"."${tableName}"` : `"${tableName}"`;
}

const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');
const asDate = (value: unknown): Date => (value instanceof Date ? value : new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as number | string)));
const asMinor = (value: unknown): bigint => BigInt(value as string | number | bigint);

export async function figuresByPayment(em: Em, paymentIds: readonly string[]): Promise<FiguresView[]> {
  const rows = await em.execute<Row[]>(
    `select payment_id, merchant_id, currency, captured, fee from ${tableOf(em, PaymentFigures)} where payment_id in (${placeholders(paymentIds.length)})`,
    [...paymentIds],
  );
  return rows.map((row) => ({
    paymentId: row['payment_id'] as string,
    merchantId: row['merchant_id'] as string,
    currency: row['currency'] as string,
    captured: asMinor(row['captured']),
    fee: asMinor(row['fee']),
  }));
}

/** The payments' entries in posting order (journal, then line). */
export async function entriesByPayment(em: Em, paymentIds: readonly string[]): Promise<LedgerEntry[]> {
  const rows = await em.execute<Row[]>(
    `select id, journal_id, journal_sequence, line, payment_id, account, side, currency, amount, posted_at from ${tableOf(em, LedgerEntry)} ` +
      `where payment_id in (${placeholders(paymentIds.length)}) order by journal_sequence, line`,
    [...paymentIds],
  );
  return rows.map((row) => ({
    id: row['id'] as string,
    journalId: row['journal_id'] as string,
    journalSequence: Number(row['journal_sequence']),
    line: Number(row['line']),
    paymentId: row['payment_id'] as string,
    account: row['account'] as string,
    side: row['side'] as EntrySide,
    currency: row['currency'] as string,
    amount: asMinor(row['amount']),
    postedAt: asDate(row['posted_at']),
  }));
}

export async function balancesOf(em: Em, accounts: readonly string[]): Promise<AccountBalance[]> {
  const rows = await em.execute<Row[]>(
    `select account, currency, debit_total, credit_total, updated_at from ${tableOf(em, AccountBalance)} where account in (${placeholders(accounts.length)})`,
    [...accounts],
  );
  return rows.map((row) => ({
    account: row['account'] as string,
    currency: row['currency'] as string,
    debitTotal: asMinor(row['debit_total']),
    creditTotal: asMinor(row['credit_total']),
    updatedAt: asDate(row['updated_at']),
  }));
}

import { createHash } from 'node:crypto';
import type { EntrySide } from '../entities/LedgerEntry.js';

/** h(0): the hash the first journal of a chain follows. */
export const GENESIS_HASH = '0'.repeat(64);

export interface CanonicalEntry {
  id: string;
  account: string;
  side: EntrySide;
  currency: string;
  amount: bigint;
}

export interface CanonicalJournal {
  sequence: number;
  id: string;
  type: string;
  paymentId: string;
  merchantId: string;
  currency: string;
  occurredAt: Date;
  /** in line order */
  entries: CanonicalEntry[];
}

/**
 * The canonical serialization of a journal, fixed forever (changing it invalidates every stored hash):
 * the JSON text (JSON.stringify, no whitespace) of the array
 *
 *   [sequence, journalId, type, paymentId, merchantId, currency, occurredAt,
 *    [[entryId, account, side, currency, amount], … in line order]]
 *
 * where sequence is a JSON number, occurredAt is ISO-8601 UTC with milliseconds
 * ("2026-11-22T03:19:58.123Z"), side is "DEBIT" or "CREDIT", and amount is the integer count of
 * minor units as a decimal string ("9680" for 96.80 USD). Described in docs/ledger.md too.
 */
export function canonicalJournal(journal: CanonicalJournal): string {
  return JSON.stringify([
    journal.sequence,
    journal.id,
    journal.type,
    journal.paymentId,
    journal.merchantId,
    journal.currency,
    journal.occurredAt.toISOString(),
    journal.entries.map((e) => [e.id, e.account, e.side, e.currency, e.amount.toString()]),
  ]);
}

/** h(n) = SHA-256 of the UTF-8 bytes of h(n−1) (64 lower-case hex digits) followed by canonical(journal n), as lower-case hex. */
export function chainHash(previousHash: string, journal: CanonicalJournal): string {
  return createHash('sha256').update(previousHash, 'utf8').update(canonicalJournal(journal), 'utf8').digest('hex');
}

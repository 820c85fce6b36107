import { add, isPositive, isZero, money, signed, zero, type Money } from '../../../lib/money.js';
import type { EntrySide } from '../entities/LedgerEntry.js';
import type { JournalType } from '../entities/Journal.js';

export interface EntryDraft {
  account: string;
  side: EntrySide;
  currency: string;
  /** minor units, greater than zero */
  amount: bigint;
}

/** A journal before it is posted: the chain position, hash and ids are assigned under the chain's lock. */
export interface JournalDraft {
  type: JournalType;
  paymentId: string;
  merchantId: string;
  currency: string;
  eventId: string | null;
  occurredAt: Date;
  entries: EntryDraft[];
}

/**
 * Refuses a journal that does not balance per currency, or has an entry that is not positive. Every
 * journal is built by code from balanced formulas, so this failing is a bug: it throws rather than
 * writing money that does not add up.
 */
export function assertBalanced(draft: JournalDraft): void {
  if (draft.entries.length < 2) throw new Error(`${draft.type} journal of ${draft.paymentId} has fewer than two entries`);
  const net = new Map<string, Money>();
  for (const entry of draft.entries) {
    const amount = money(entry.amount, entry.currency);
    if (!isPositive(amount)) throw new Error(`${draft.type} journal of ${draft.paymentId}: entry on ${entry.account} is not positive`);
    net.set(entry.currency, add(net.get(entry.currency) ?? zero(entry.currency), signed(amount, entry.side === 'CREDIT')));
  }
  for (const [currency, difference] of net) {
    if (!isZero(difference)) {
      throw new Error(`${draft.type} journal of ${draft.paymentId} does not balance in ${currency}: debits − credits = ${difference.minor}`);
    }
  }
}

/** An entry, or none for a zero amount (a fee of zero books no fee line). */
export function entry(account: string, side: EntrySide, amount: Money): EntryDraft[] {
  return isZero(amount) ? [] : [{ account, side, currency: amount.currency, amount: amount.minor }];
}

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

export const entrySides = ['DEBIT', 'CREDIT'] as const;
export type EntrySide = (typeof entrySides)[number];

/** One line of a journal: an amount (minor units, always positive) debited or credited to an account. Never updated. */
export const LedgerEntry = defineEntity({
  name: 'LedgerEntry',
  tableName: 'ledger_entries',
  properties: {
    id: p.string().primary(),
    journalId: p.string().index(),
    /** the journal's sequence, copied so that a payment's entries list in posting order without a join */
    journalSequence: p.integer(),
    /** 1-based position within the journal: the order the chain hash covers */
    line: p.integer(),
    paymentId: p.string(),
    account: p.string(),
    side: p.enum([...entrySides]),
    currency: p.string().length(3),
    amount: minorUnits(),
    postedAt: p.datetime(3),
  },
  indexes: [{ properties: ['paymentId', 'journalSequence', 'line'] }],
});
export type LedgerEntry = InferEntity<typeof LedgerEntry>;

import type { Em } from '../../lib/database.js';
import { keyedLookup } from '../../lib/plain-rows.js';
import { AccountBalance } from './entities/AccountBalance.js';
import { LedgerEntry } from './entities/LedgerEntry.js';
import { PaymentFigures } from './entities/PaymentFigures.js';

/**
 * Lean reads for the hot by-key lookups of a request: plain rows by one SQL statement (lib/plain-rows.ts),
 * no entity, no identity map (hydrating a page's rows into managed entities was most of accounting's CPU
 * per page).
 */

/** What a payment's fields need of its figures. */
export type FiguresView = Pick<PaymentFigures, 'paymentId' | 'merchantId' | 'currency' | 'captured' | 'fee'>;

const figures = keyedLookup(PaymentFigures, (qb, paymentIds) =>
  qb.select(['paymentId', 'merchantId', 'currency', 'captured', 'fee']).where({ paymentId: { $in: paymentIds } }),
);
const entries = keyedLookup(LedgerEntry, (qb, paymentIds) =>
  qb.select('*').where({ paymentId: { $in: paymentIds } }).orderBy({ journalSequence: 'asc', line: 'asc' }),
);
const balances = keyedLookup(AccountBalance, (qb, accounts) => qb.select('*').where({ account: { $in: accounts } }));

export const figuresByPayment = (em: Em, paymentIds: readonly string[]): Promise<FiguresView[]> => figures(em, paymentIds);

/** The payments' entries in posting order (journal, then line). */
export const entriesByPayment = (em: Em, paymentIds: readonly string[]): Promise<LedgerEntry[]> => entries(em, paymentIds);

export const balancesOf = (em: Em, accounts: readonly string[]): Promise<AccountBalance[]> => balances(em, accounts);

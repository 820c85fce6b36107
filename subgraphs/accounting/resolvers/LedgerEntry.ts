import { money } from '../../../lib/money.js';
import type { LedgerEntryResolvers } from '../generated/resolvers-types.js';

export const LedgerEntry: LedgerEntryResolvers = {
  amount: (entry) => money(entry.amount, entry.currency),
};

import { money, type Money } from '../../../lib/money.js';
import type { DiscrepancyResolvers } from '../generated/resolvers-types.js';

function moneyOrNull(amount: bigint | null | undefined, currency: string | null | undefined): Money | null {
  return amount === null || amount === undefined || !currency ? null : money(amount, currency);
}

/** expected is ours, actual the provider's: each an amount in its own currency, or null where there is none. */
export const Discrepancy: DiscrepancyResolvers = {
  expected: (d) => moneyOrNull(d.expectedAmount, d.expectedCurrency),
  actual: (d) => moneyOrNull(d.actualAmount, d.actualCurrency),
};

import { formatAmount } from '../../../lib/money.js';
import type { MoneyResolvers } from '../generated/resolvers-types.js';

export const Money: MoneyResolvers = {
  amount: (money) => formatAmount(money),
  currency: (money) => money.currency,
  minorUnits: (money) => money.minor.toString(),
};

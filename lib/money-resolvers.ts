import { formatAmount, type Money as MoneyValue } from './money.js';

/** The `Money` type's resolvers, the same in every subgraph that declares it: the API's form of a Money value. */
export const Money = {
  amount: (money: MoneyValue) => formatAmount(money),
  currency: (money: MoneyValue) => money.currency,
  minorUnits: (money: MoneyValue) => money.minor.toString(),
};

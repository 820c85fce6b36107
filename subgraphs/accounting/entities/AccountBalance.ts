import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

/**
 * Running totals of one account in one currency, updated in the transaction that posts the entries,
 * so that they equal the sum of the account's entries at every commit.
 */
export const AccountBalance = defineEntity({
  name: 'AccountBalance',
  tableName: 'account_balances',
  properties: {
    account: p.string().primary(),
    currency: p.string().length(3).primary(),
    debitTotal: minorUnits(),
    creditTotal: minorUnits(),
    updatedAt: p.datetime(3),
  },
});
export type AccountBalance = InferEntity<typeof AccountBalance>;

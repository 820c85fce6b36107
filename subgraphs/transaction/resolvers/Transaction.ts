import { money } from '../../../lib/money.js';
import { canSeeMerchant } from '../../../lib/principal.js';
import type { TransactionResolvers } from '../generated/resolvers-types.js';

export const Transaction: TransactionResolvers = {
  __resolveReference: async ({ id }, { principal, loaders }) => {
    const record = await loaders.transaction.load(id);
    return record && canSeeMerchant(principal, record.merchantId) ? record : null;
  },
  amount: (record) => money(record.amount, record.currency),
  fee: (record) => money(record.fee, record.currency),
  net: (record) => money(record.net, record.currency),
  // references: the payment subgraph resolves them (and answers null for what the caller may not see)
  payment: (record) => ({ id: record.paymentId }),
  refund: (record) => (record.refundId ? { id: record.refundId } : null),
};

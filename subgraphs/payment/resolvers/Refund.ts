import { money } from '../../../lib/money.js';
import { canSeeMerchant } from '../../../lib/principal.js';
import type { RefundResolvers } from '../generated/resolvers-types.js';

export const Refund: RefundResolvers = {
  __resolveReference: async ({ id }, { principal, loaders }) => {
    const refund = await loaders.refund.load(id);
    return refund && canSeeMerchant(principal, refund.merchantId) ? refund : null;
  },
  payment: async (refund, _args, { loaders }) => {
    const payment = await loaders.payment.load(refund.paymentId);
    if (!payment) throw new Error(`refund ${refund.id} has no payment ${refund.paymentId}`);
    return payment;
  },
  amount: (refund) => money(refund.amount, refund.currency),
};

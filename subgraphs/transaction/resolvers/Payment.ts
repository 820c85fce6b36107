import { canSeeMerchant } from '../../../lib/principal.js';
import type { PaymentResolvers } from '../generated/resolvers-types.js';

/** Payment.transactions: a payment of another merchant has no records the caller can see. */
export const Payment: PaymentResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  transactions: async (payment, _args, { principal, loaders }) =>
    (await loaders.transactionsByPayment.load(payment.id)).filter((record) => canSeeMerchant(principal, record.merchantId)),
};

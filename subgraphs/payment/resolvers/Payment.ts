import { money } from '../../../lib/money.js';
import { canSeeMerchant } from '../../../lib/principal.js';
import type { PaymentResolvers } from '../generated/resolvers-types.js';

export const Payment: PaymentResolvers = {
  __resolveReference: async ({ id }, { principal, loaders }) => {
    const payment = await loaders.payment.load(id);
    return payment && canSeeMerchant(principal, payment.merchantId) ? payment : null;
  },
  merchant: async (payment, _args, { loaders }) => {
    const merchant = await loaders.merchant.load(payment.merchantId);
    if (!merchant) throw new Error(`payment ${payment.id} has no merchant ${payment.merchantId}`);
    return merchant;
  },
  amount: (payment) => money(payment.amount, payment.currency),
  amountCapturable: (payment) => money(payment.amountCapturable, payment.currency),
  amountReceived: (payment) => money(payment.amountReceived, payment.currency),
  amountRefunded: (payment) => money(payment.amountRefunded, payment.currency),
  refunds: (payment, _args, { loaders }) => loaders.refundsByPayment.load(payment.id),
};

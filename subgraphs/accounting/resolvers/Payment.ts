import { money, subtract } from '../../../lib/money.js';
import { canSeeMerchant } from '../../../lib/principal.js';
import type { PaymentResolvers } from '../generated/resolvers-types.js';

/**
 * Accounting's fields of a payment. A payment never captured has no figures; one of another merchant
 * is answered the same way (no entries, no fee, no net), so nothing of it shows.
 */
export const Payment: PaymentResolvers = {
  __resolveReference: async ({ id }, { principal, loaders }) => {
    const figures = await loaders.figures.load(id);
    return { id, figures: figures && canSeeMerchant(principal, figures.merchantId) ? figures : null };
  },
  ledgerEntries: (payment, _args, { loaders }) => (payment.figures ? loaders.entriesByPayment.load(payment.id) : []),
  fee: ({ figures }) => (figures ? money(figures.fee, figures.currency) : null),
  net: ({ figures }) => (figures ? subtract(money(figures.captured, figures.currency), money(figures.fee, figures.currency)) : null),
};

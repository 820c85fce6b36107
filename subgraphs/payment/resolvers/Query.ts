import { canSeeMerchant } from '../../../lib/principal.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';
import { listEvents } from '../services/event-log.js';
import { listPayments } from '../services/payment-queries.js';

export const Query: QueryResolvers = {
  viewer: (_parent, _args, { principal }) => principal,
  payment: async (_parent, { id }, { principal, loaders }) => {
    const payment = await loaders.payment.load(id);
    return payment && canSeeMerchant(principal, payment.merchantId) ? payment : null;
  },
  payments: (_parent, args, { principal, em }) => listPayments(em, principal, args),
  merchant: async (_parent, { id }, { principal, loaders }) => {
    const merchant = await loaders.merchant.load(id);
    return merchant && canSeeMerchant(principal, merchant.id) ? merchant : null;
  },
  events: (_parent, args, { principal, em, eventLog }) => listEvents(em, principal, args, eventLog()),
  apiKeys: (_parent, { merchantId }, { principal, apiKeys }) => apiKeys.list(principal, merchantId),
};

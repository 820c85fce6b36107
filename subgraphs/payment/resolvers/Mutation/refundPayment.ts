import type { MutationResolvers } from '../../generated/resolvers-types.js';

export const refundPayment: MutationResolvers['refundPayment'] = (_parent, { input }, { principal, refunds }) =>
  refunds.refund(principal, input);

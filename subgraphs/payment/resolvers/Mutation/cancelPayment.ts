import type { MutationResolvers } from '../../generated/resolvers-types.js';

export const cancelPayment: MutationResolvers['cancelPayment'] = (_parent, { input }, { principal, payments }) =>
  payments.cancel(principal, input);

import type { MutationResolvers } from '../../generated/resolvers-types.js';

export const confirmPayment: MutationResolvers['confirmPayment'] = (_parent, { input }, { principal, payments }) =>
  payments.confirm(principal, input);

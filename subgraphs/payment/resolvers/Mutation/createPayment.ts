import type { MutationResolvers } from '../../generated/resolvers-types.js';

export const createPayment: MutationResolvers['createPayment'] = (_parent, { input }, { principal, payments }) =>
  payments.create(principal, input);

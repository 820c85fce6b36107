import type { MutationResolvers } from '../../generated/resolvers-types.js';

export const createMerchant: MutationResolvers['createMerchant'] = (_parent, { input }, { principal, merchants }) =>
  merchants.createMerchant(principal, input);

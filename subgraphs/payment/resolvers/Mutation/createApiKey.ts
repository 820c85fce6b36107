import type { MutationResolvers } from '../../generated/resolvers-types.js';

export const createApiKey: MutationResolvers['createApiKey'] = (_parent, { input }, { principal, merchants }) =>
  merchants.createApiKey(principal, input);

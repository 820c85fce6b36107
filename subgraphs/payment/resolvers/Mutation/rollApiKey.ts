import type { MutationResolvers } from '../../generated/resolvers-types.js';

export const rollApiKey: MutationResolvers['rollApiKey'] = (_parent, { input }, { principal, apiKeys }) => apiKeys.roll(principal, input);

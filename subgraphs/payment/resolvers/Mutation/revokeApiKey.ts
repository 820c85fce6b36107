import type { MutationResolvers } from '../../generated/resolvers-types.js';

export const revokeApiKey: MutationResolvers['revokeApiKey'] = (_parent, { id }, { principal, apiKeys }) => apiKeys.revoke(principal, id);

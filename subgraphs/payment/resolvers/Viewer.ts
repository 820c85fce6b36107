import type { ViewerResolvers } from '../generated/resolvers-types.js';

export const Viewer: ViewerResolvers = {
  role: (principal) => principal.role,
  merchant: (principal, _args, { loaders }) => (principal.merchantId ? loaders.merchant.load(principal.merchantId) : null),
};

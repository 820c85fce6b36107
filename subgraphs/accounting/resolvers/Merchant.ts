import { canSeeMerchant } from '../../../lib/principal.js';
import type { MerchantResolvers } from '../generated/resolvers-types.js';

export const Merchant: MerchantResolvers = {
  // Nothing to load to know the merchant: the balance is read (batched) only when it is asked for.
  __resolveReference: ({ id }, { principal }) => (canSeeMerchant(principal, id) ? { id } : null),
  balance: (merchant, _args, { loaders }) => loaders.merchantBalance.load(merchant.id),
};

import { canSeeMerchant } from '../../../lib/principal.js';
import type { MerchantResolvers } from '../generated/resolvers-types.js';

export const Merchant: MerchantResolvers = {
  __resolveReference: async ({ id }, { principal, loaders }) => {
    const merchant = await loaders.merchant.load(id);
    return merchant && canSeeMerchant(principal, merchant.id) ? merchant : null;
  },
};

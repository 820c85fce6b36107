import { canSeeMerchant } from '../../../lib/principal.js';
import type { ApiKeyResolvers } from '../generated/resolvers-types.js';

export const ApiKey: ApiKeyResolvers = {
  prefix: (key) => key.keyPrefix,
  merchant: async (key, _args, { principal, loaders }) => {
    if (!key.merchantId) return null;
    const merchant = await loaders.merchant.load(key.merchantId);
    return merchant && canSeeMerchant(principal, merchant.id) ? merchant : null;
  },
};

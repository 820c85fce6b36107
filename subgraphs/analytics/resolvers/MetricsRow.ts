import type { MetricsRowResolvers } from '../generated/resolvers-types.js';

export const MetricsRow: MetricsRowResolvers = {
  // A reference: the gateway asks the payment subgraph for the merchant's fields, under its own rules.
  merchant: (row) => (row.merchantId === null ? null : { id: row.merchantId }),
};

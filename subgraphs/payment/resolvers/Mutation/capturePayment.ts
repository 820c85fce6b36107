import type { MutationResolvers } from '../../generated/resolvers-types.js';

export const capturePayment: MutationResolvers['capturePayment'] = (_parent, { input }, { principal, payments }) =>
  payments.capture(principal, input);

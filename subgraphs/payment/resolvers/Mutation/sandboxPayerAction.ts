import type { MutationResolvers } from '../../generated/resolvers-types.js';

export const sandboxPayerAction: MutationResolvers['sandboxPayerAction'] = (_parent, { paymentId, outcome }, { principal, payments }) =>
  payments.sandboxPayerAction(principal, paymentId, outcome);

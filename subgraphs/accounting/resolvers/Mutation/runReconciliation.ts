import type { MutationResolvers } from '../../generated/resolvers-types.js';
import { assertAdmin } from '../../services/access.js';

export const runReconciliation: MutationResolvers['runReconciliation'] = (_parent, { input }, { principal, reconciliation }) => {
  assertAdmin(principal);
  return reconciliation.run(input);
};

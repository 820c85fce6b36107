import type { QueryResolvers } from '../generated/resolvers-types.js';
import { assertAdmin, assertMayReadPlatform } from '../services/access.js';
import { verifyLedger } from '../services/verification.js';

export const Query: QueryResolvers = {
  verifyLedger: (_parent, _args, { principal, em, dialect }) => {
    assertAdmin(principal);
    return verifyLedger(em, dialect);
  },
  reconciliationReport: (_parent, { id }, { principal, loaders }) => {
    assertMayReadPlatform(principal);
    return loaders.reconciliationReport.load(id);
  },
};

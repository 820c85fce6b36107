import type { QueryResolvers } from '../generated/resolvers-types.js';
import { listTransactions } from '../services/transaction-queries.js';

export const Query: QueryResolvers = {
  transactions: (_parent, args, { principal, em }) => listTransactions(em, principal, args),
};

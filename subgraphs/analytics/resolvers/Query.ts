import type { QueryResolvers } from '../generated/resolvers-types.js';
import { queryMetrics } from '../services/metrics.js';

export const Query: QueryResolvers = {
  metrics: (_parent, { query }, { principal, em, dialect }) => queryMetrics(em, dialect, principal, query),
};

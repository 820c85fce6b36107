import type { MutationResolvers } from '../../generated/resolvers-types.js';
import { runReconciliation } from './runReconciliation.js';

export const Mutation: MutationResolvers = { runReconciliation };

import type { Em } from '../../lib/database.js';

/**
 * Request-scoped loaders, as in every subgraph. Analytics answers aggregates, not objects by key:
 * MetricsRow.merchant is a reference the payment subgraph resolves (batched there), so there is
 * nothing to load here yet.
 */
export function createLoaders(_em: Em) {
  return {};
}
export type Loaders = ReturnType<typeof createLoaders>;

import type { EntitySchema, MigrationObject } from '@mikro-orm/core';
import type { Dialect } from '../lib/database.js';

/** Every subgraph by name, loaded lazily: what the scripts need to know of each. */
export const subgraphModules = {
  payment: async () => ({
    entities: (await import('../subgraphs/payment/entities/index.js')).entities as EntitySchema<any, any>[],
    migrations: (await import('../subgraphs/payment/migrations/index.js')).migrations as Record<Dialect, MigrationObject[]>,
  }),
  accounting: async () => ({
    entities: (await import('../subgraphs/accounting/entities/index.js')).entities as EntitySchema<any, any>[],
    migrations: (await import('../subgraphs/accounting/migrations/index.js')).migrations as Record<Dialect, MigrationObject[]>,
  }),
  transaction: async () => ({
    entities: (await import('../subgraphs/transaction/entities/index.js')).entities as EntitySchema<any, any>[],
    migrations: (await import('../subgraphs/transaction/migrations/index.js')).migrations as Record<Dialect, MigrationObject[]>,
  }),
  analytics: async () => ({
    entities: (await import('../subgraphs/analytics/entities/index.js')).entities as EntitySchema<any, any>[],
    migrations: (await import('../subgraphs/analytics/migrations/index.js')).migrations as Record<Dialect, MigrationObject[]>,
  }),
};
export type SubgraphName = keyof typeof subgraphModules;

export function isSubgraphName(name: string): name is SubgraphName {
  return Object.hasOwn(subgraphModules, name);
}

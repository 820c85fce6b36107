import { systemClock, type Clock } from '../../lib/clock.js';
import type { EventTransport } from '../../lib/events/event.js';
import { startSubgraphService, type SubgraphService } from '../../lib/subgraph-service.js';
import type { AnalyticsConfig } from './config.js';
import type { Context } from './context.js';
import { entities } from './entities/index.js';
import { createLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { ANALYTICS_CONSUMER, metricsEffect } from './services/consumers.js';

export interface AnalyticsSubgraphOptions {
  transport: EventTransport;
  /** this replica's name within the group; default lib/events/consumer.ts replicaName */
  consumerName?: string;
  clock?: Clock;
  /** receives every SQL statement (tests count them) */
  onQuery?: (sql: string) => void;
  onInternalError?: (error: unknown) => void;
}

/** Wires the analytics subgraph: database, the consumers of the payment and accounting events, its HTTP server. */
export type AnalyticsSubgraph = Omit<SubgraphService, 'flushOutbox'>;

export async function startAnalyticsSubgraph(config: AnalyticsConfig, options: AnalyticsSubgraphOptions): Promise<AnalyticsSubgraph> {
  const clock = options.clock ?? systemClock;
  return startSubgraphService({
    name: 'analytics',
    config,
    entities,
    migrations,
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    clock,
    onQuery: options.onQuery,
    onInternalError: options.onInternalError,
    wire: (database) => ({
      createContext: (principal): Context => {
        const em = database.fork();
        return { principal, em, dialect: database.dialect, loaders: createLoaders(em) };
      },
      consumer: { group: ANALYTICS_CONSUMER, transport: options.transport, replica: options.consumerName, apply: metricsEffect(database.dialect, clock) },
      handles: {},
    }),
  });
}

import { startSubgraphService, type ConsumingSubgraphOptions, type SubgraphService } from '../../lib/subgraph-service.js';
import type { AnalyticsConfig } from './config.js';
import type { Context } from './context.js';
import { entities } from './entities/index.js';
import { createLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { ANALYTICS_CONSUMER, metricsConsumer } from './services/consumers.js';

export type AnalyticsSubgraphOptions = ConsumingSubgraphOptions;

/** Wires the analytics subgraph: database, the consumers of the payment and accounting events, its HTTP server. */
export type AnalyticsSubgraph = Omit<SubgraphService, 'flushOutbox'>;

export async function startAnalyticsSubgraph(config: AnalyticsConfig, options: AnalyticsSubgraphOptions): Promise<AnalyticsSubgraph> {
  return startSubgraphService({
    name: 'analytics',
    config,
    entities,
    migrations,
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    run: options,
    wire: ({ database, clock }) => {
      const metrics = metricsConsumer(clock);
      return {
        createContext: (principal): Context => {
          const em = database.fork();
          return { principal, em, dialect: database.dialect, loaders: createLoaders(em) };
        },
        consumer: { group: ANALYTICS_CONSUMER, apply: metrics.apply, applyBatch: metrics.applyBatch, events: config.events },
        handles: {},
      };
    },
  });
}

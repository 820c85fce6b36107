import type { Registry } from 'prom-client';
import type { MetricsConfig } from './config.js';
import { eventMetrics, type EventFigures } from './events.js';
import { graphqlRequestMetrics, type GraphQLRequestMetrics } from './graphql-requests.js';
import { createServiceRegistry } from './registry.js';
import { startMetricsServer, type MetricsServer } from './server.js';

export interface SubgraphMetrics {
  /** for the subgraph's own figures (the payment subgraph's recovery job) */
  registry: Registry;
  requests: GraphQLRequestMetrics;
  /** defines the event figures this subgraph has and serves /metrics; `connectConsumerLag` adds the lag per stream */
  serve: (config: MetricsConfig, figures: EventFigures) => Promise<MetricsServer & { connectConsumerLag: ReturnType<typeof eventMetrics>['connectConsumerLag'] }>;
}

export function subgraphMetrics(name: string): SubgraphMetrics {
  const registry = createServiceRegistry(name);
  return {
    registry,
    requests: graphqlRequestMetrics(registry, 'subgraph'),
    serve: async (config, figures) => {
      const events = eventMetrics(name, registry, figures);
      return { ...(await startMetricsServer(name, registry, config)), connectConsumerLag: events.connectConsumerLag };
    },
  };
}

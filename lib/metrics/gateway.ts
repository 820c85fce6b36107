import { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsConfig } from './config.js';
import { graphqlRequestMetrics, LATENCY_BUCKETS, type GraphQLRequestMetrics } from './graphql-requests.js';
import { createServiceRegistry } from './registry.js';
import { startMetricsServer, type MetricsServer } from './server.js';

/** The gateway's limits a refusal is counted under (rate-limits.ts, subscriptions/connection-limits.ts, subscriptions/server.ts). */
export type RefusingLimit =
  | 'per_address'
  | 'auth_failures'
  | 'per_key'
  | 'in_flight_per_key'
  | 'websockets_per_address'
  | 'websockets_per_key'
  | 'subscriptions_per_key';

/** `outcome` of a subgraph fetch: ok, HTTP_<status> for any other status, or error (no answer: refused connection, reset) */
export type SubgraphFetchObserver = (subgraph: string, seconds: number, outcome: string) => void;

export interface SubscriptionObserver {
  opened: () => void;
  closed: () => void;
  /** one `next` message written to one subscriber */
  delivered: () => void;
}

export interface GatewayMetrics {
  requests: GraphQLRequestMetrics;
  subgraphFetch: SubgraphFetchObserver;
  subscriptions: SubscriptionObserver;
  refused: (limit: RefusingLimit) => void;
  serve: (config: MetricsConfig) => Promise<MetricsServer>;
}

/** The gateway's figures, in a registry of its own (replicas in one process each have theirs). */
export function gatewayMetrics(): GatewayMetrics {
  const registry = createServiceRegistry('gateway');
  const fetches = new Histogram({
    name: 'paygraph_gateway_subgraph_fetch_duration_seconds',
    help: 'Time of one fetch of the gateway from a subgraph (a step of a query plan), by subgraph and outcome',
    labelNames: ['subgraph', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const open = new Gauge({ name: 'paygraph_gateway_subscriptions_open', help: 'Subscriptions open on this gateway instance', registers: [registry] });
  const deliveries = new Counter({
    name: 'paygraph_gateway_subscription_deliveries_total',
    help: 'Subscription results (next messages) written to subscribers',
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'paygraph_gateway_rate_limit_refusals_total',
    help: 'Requests, connections and subscribes refused by a rate or connection limit, by limit',
    labelNames: ['limit'],
    registers: [registry],
  });
  return {
    requests: graphqlRequestMetrics(registry, 'gateway'),
    subgraphFetch: (subgraph, seconds, outcome) => fetches.labels(subgraph, outcome).observe(seconds),
    subscriptions: { opened: () => open.inc(), closed: () => open.dec(), delivered: () => deliveries.inc() },
    refused: (limit) => refusals.labels(limit).inc(),
    serve: (config) => startMetricsServer('gateway', registry, config),
  };
}

import { z } from 'zod';
import { metricsPortEnv } from '../../lib/metrics/config.js';
import { eventConsumerConfig, eventConsumerEnv, type EventConsumerConfig } from '../../lib/events/config.js';
import { envPort, parseEnv, subgraphConfig, subgraphEnv, type Env, frozen, type Frozen, type SubgraphConfig } from '../../lib/config-loader.js';

const schema = z.object({
  ...subgraphEnv,
  ...eventConsumerEnv,
  ANALYTICS_PORT: envPort.default(4004),
  ANALYTICS_METRICS_PORT: metricsPortEnv,
});

export interface AnalyticsConfig extends SubgraphConfig {
  events: EventConsumerConfig;
}

export function loadAnalyticsConfig(env: Env = process.env): Frozen<AnalyticsConfig> {
  const e = parseEnv('analytics subgraph', schema, env);
  return frozen({ ...subgraphConfig('analytics subgraph', e, e.ANALYTICS_PORT, e.ANALYTICS_METRICS_PORT), events: eventConsumerConfig(e) });
}

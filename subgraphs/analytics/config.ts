import { z } from 'zod';
import { eventConsumerConfig, eventConsumerEnv, type EventConsumerConfig } from '../../lib/events/config.js';
import { envPort, parseEnv, subgraphConfig, subgraphEnv, type Env, frozen, type Frozen, type SubgraphConfig } from '../../lib/config-loader.js';

const schema = z.object({
  ...subgraphEnv,
  ...eventConsumerEnv,
  ANALYTICS_PORT: envPort.default(4004),
});

export interface AnalyticsConfig extends SubgraphConfig {
  events: EventConsumerConfig;
}

export function loadAnalyticsConfig(env: Env = process.env): Frozen<AnalyticsConfig> {
  const e = parseEnv('analytics subgraph', schema, env);
  return frozen({ ...subgraphConfig('analytics subgraph', e, e.ANALYTICS_PORT), events: eventConsumerConfig(e) });
}

import { z } from 'zod';
import { metricsPortEnv } from '../../lib/metrics/config.js';
import { eventConsumerConfig, eventConsumerEnv, type EventConsumerConfig } from '../../lib/events/config.js';
import { envPort, parseEnv, subgraphConfig, subgraphEnv, type Env, frozen, type Frozen, type SubgraphConfig } from '../../lib/config-loader.js';

const schema = z.object({
  ...subgraphEnv,
  ...eventConsumerEnv,
  TRANSACTION_PORT: envPort.default(4003),
  TRANSACTION_METRICS_PORT: metricsPortEnv,
});

export interface TransactionConfig extends SubgraphConfig {
  events: EventConsumerConfig;
}

export function loadTransactionConfig(env: Env = process.env): Frozen<TransactionConfig> {
  const e = parseEnv('transaction subgraph', schema, env);
  return frozen({ ...subgraphConfig('transaction subgraph', e, e.TRANSACTION_PORT, e.TRANSACTION_METRICS_PORT), events: eventConsumerConfig(e) });
}

import { z } from 'zod';
import { eventConsumerConfig, eventConsumerEnv, type EventConsumerConfig } from '../../lib/events/config.js';
import { envPort, parseEnv, subgraphConfig, subgraphEnv, type Env, frozen, type Frozen, type SubgraphConfig } from '../../lib/config-loader.js';

const schema = z.object({
  ...subgraphEnv,
  ...eventConsumerEnv,
  TRANSACTION_PORT: envPort.default(4003),
});

export interface TransactionConfig extends SubgraphConfig {
  events: EventConsumerConfig;
}

export function loadTransactionConfig(env: Env = process.env): Frozen<TransactionConfig> {
  const e = parseEnv('transaction subgraph', schema, env);
  return frozen({ ...subgraphConfig('transaction subgraph', e, e.TRANSACTION_PORT), events: eventConsumerConfig(e) });
}

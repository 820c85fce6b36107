import { z } from 'zod';
import { envPort, parseEnv, subgraphConfig, subgraphEnv, type Env, frozen, type Frozen, type SubgraphConfig } from '../../lib/config-loader.js';

const schema = z.object({
  ...subgraphEnv,
  TRANSACTION_PORT: envPort.default(4003),
});

export type TransactionConfig = SubgraphConfig;

export function loadTransactionConfig(env: Env = process.env): Frozen<TransactionConfig> {
  const e = parseEnv('transaction subgraph', schema, env);
  return frozen(subgraphConfig('transaction subgraph', e, e.TRANSACTION_PORT));
}

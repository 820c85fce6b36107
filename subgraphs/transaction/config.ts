import { z } from 'zod';
import { developmentSecret, envPort, parseEnv, subgraphEnv, type Env, frozen, type Frozen } from '../../lib/config-loader.js';

const schema = z.object({
  ...subgraphEnv,
  TRANSACTION_PORT: envPort.default(4003),
});

export interface TransactionConfig {
  production: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  internalSecret: string;
}

export function loadTransactionConfig(env: Env = process.env): Frozen<TransactionConfig> {
  const e = parseEnv('transaction subgraph', schema, env);
  const production = e.NODE_ENV === 'production';
  if (production && !e.INTERNAL_SECRET) throw new Error('transaction subgraph: invalid configuration\n  INTERNAL_SECRET: is required when NODE_ENV=production');
  return frozen({
    production,
    port: e.TRANSACTION_PORT,
    host: e.SUBGRAPH_HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    internalSecret: e.INTERNAL_SECRET ?? developmentSecret(e.DATA_DIR, 'internal-secret'),
  });
}

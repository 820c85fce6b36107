import { z } from 'zod';
import { developmentSecret, envPort, parseEnv, subgraphEnv, type Env, frozen, type Frozen } from '../../lib/config-loader.js';

const schema = z.object({
  ...subgraphEnv,
  ANALYTICS_PORT: envPort.default(4004),
});

export interface AnalyticsConfig {
  production: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  internalSecret: string;
}

export function loadAnalyticsConfig(env: Env = process.env): Frozen<AnalyticsConfig> {
  const e = parseEnv('analytics subgraph', schema, env);
  const production = e.NODE_ENV === 'production';
  if (production && !e.INTERNAL_SECRET) {
    throw new Error('analytics subgraph: invalid configuration\n  INTERNAL_SECRET: is required when NODE_ENV=production');
  }
  return frozen({
    production,
    port: e.ANALYTICS_PORT,
    host: e.SUBGRAPH_HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    internalSecret: e.INTERNAL_SECRET ?? developmentSecret(e.DATA_DIR, 'internal-secret'),
  });
}

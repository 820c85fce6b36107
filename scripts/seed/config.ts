import { z } from 'zod';
import { envDatabaseUrl, parseEnv, type Env } from '../../lib/config-loader.js';
import { DEFAULT_FEES, parseFeeSchedule, type FeeSchedule } from '../../subgraphs/accounting/services/fees.js';

const schema = z.object({
  DATABASE_URL: envDatabaseUrl,
  DATA_DIR: z.string().min(1).default('./data'),
  FEES: z.string().default(DEFAULT_FEES),
});

/** Where `npm start` keeps the data, and the fees accounting charges: the seed reads them as the services do. */
export interface SeedConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  fees: FeeSchedule;
}

export function loadSeedConfig(env: Env = process.env): SeedConfig {
  const e = parseEnv('seed', schema, env);
  try {
    return { databaseUrl: e.DATABASE_URL, dataDir: e.DATA_DIR, fees: parseFeeSchedule(e.FEES) };
  } catch (error) {
    throw new Error(`seed: invalid configuration\n  FEES: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

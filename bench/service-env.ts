import type { ProcessOptions } from '../system/processes.js';
import { isolatedEnv } from '../system/topology.js';

/** What every service process of a benchmark shares: this shell's environment, fresh secrets, the simulators as channels, any free port. */
function sharedEnv() {
  return { ...process.env, ...isolatedEnv() };
}

/** The environment of a benchmark's services on PostgreSQL. */
export function serviceEnv(databaseUrl: string) {
  return { ...sharedEnv(), DATABASE_URL: databaseUrl };
}

/** The environment of a benchmark's services on the embedded default: each subgraph's SQLite file under dataDir. */
export function embeddedServiceEnv(dataDir: string) {
  return { ...sharedEnv(), DATA_DIR: dataDir };
}

/** BENCH_PROFILE=<dir> writes a V8 CPU profile of each service there when it stops; BENCH_LOGS=<dir> keeps each service's output there. */
export const processOptions: ProcessOptions = { profileDir: process.env['BENCH_PROFILE'], logDir: process.env['BENCH_LOGS'] };

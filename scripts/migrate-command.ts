import { join } from 'node:path';
import { z } from 'zod';
import { parseEnv, subgraphEnv, type Env } from '../lib/config-loader.js';
import { openDatabase } from '../lib/database.js';
import { applyMigrations, migrationStatus } from '../lib/migrations.js';
import { subgraphModules, type SubgraphName } from '../system/subgraphs.js';

export const SUBGRAPHS = Object.keys(subgraphModules) as SubgraphName[];

/** `<SUBGRAPH>_DATABASE_URL`: one subgraph's database where each has its own (else DATABASE_URL, as the subgraph reads it). */
export const databaseUrlVariable = (name: SubgraphName) => `${name.toUpperCase()}_DATABASE_URL`;

const schema = z.object({
  DATABASE_URL: subgraphEnv.DATABASE_URL,
  DATA_DIR: subgraphEnv.DATA_DIR,
  ...Object.fromEntries(SUBGRAPHS.map((name) => [databaseUrlVariable(name), subgraphEnv.DATABASE_URL])),
});

export interface MigrateTargets {
  dataDir: string;
  databaseUrlOf: (name: SubgraphName) => string | undefined;
}

export function migrateTargets(env: Env): MigrateTargets {
  const e = parseEnv('migrate', schema, env) as Record<string, string | undefined> & { DATA_DIR: string };
  return { dataDir: e.DATA_DIR, databaseUrlOf: (name) => e[databaseUrlVariable(name)] ?? e.DATABASE_URL };
}

/** Where a subgraph's tables are, for people: never the URL itself (it may hold a password). */
function whereOf(name: SubgraphName, databaseUrl: string | undefined, dataDir: string): string {
  if (!databaseUrl) return `SQLite ${join(dataDir, `${name}.sqlite`)}`;
  const url = new URL(databaseUrl);
  return `PostgreSQL ${url.host}${url.pathname}, schema ${name}`;
}

/**
 * `status`: each subgraph's executed and pending migrations; `up`: applies the pending ones. Prints
 * through `print` and resolves to the number of migrations still pending (0 after a successful `up`).
 */
export async function migrate(command: 'status' | 'up', subgraphs: readonly SubgraphName[], targets: MigrateTargets, print: (line: string) => void): Promise<number> {
  let pendingLeft = 0;
  for (const name of subgraphs) {
    const databaseUrl = targets.databaseUrlOf(name);
    const database = await openDatabase({ name, databaseUrl, dataDir: targets.dataDir, migrate: 'none', ...(await subgraphModules[name]()) });
    try {
      print(`${name} (${whereOf(name, databaseUrl, targets.dataDir)})`);
      if (command === 'up') {
        const applied = await applyMigrations(database.orm, { name, dialect: database.dialect, databaseUrl });
        for (const migration of applied) print(`  applied   ${migration}`);
      }
      const status = await migrationStatus(database.orm);
      if (command === 'status') {
        for (const { name: migration, executedAt } of status.executed) print(`  executed  ${migration}  ${executedAt.toISOString()}`);
        for (const migration of status.pending) print(`  pending   ${migration}`);
      }
      print(`  ${status.executed.length} executed, ${status.pending.length} pending`);
      pendingLeft += status.pending.length;
    } finally {
      await database.close();
    }
  }
  return pendingLeft;
}

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type DatabaseOptions } from '../../lib/database.js';

/**
 * The database URL for one integration test file: undefined on SQLite (each server then uses its
 * own embedded file), or a new, empty PostgreSQL database in the server the run was given.
 */
export async function freshDatabaseUrl(): Promise<string | undefined> {
  if (inject('database') !== 'postgresql') return undefined;
  const adminUrl = inject('postgresUrl');
  const name = `${inject('databasePrefix')}${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  return databaseUrl(adminUrl, name);
}

/** The admin URL with its database replaced, keeping credentials, host and query parameters. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A migrated database that `remove` closes and deletes. */
export interface TestDatabase extends Database {
  remove: () => Promise<void>;
}

/** A subgraph's database on SQLite in a new temporary directory, migrated (for unit tests). */
export async function openSqliteTestDatabase(options: Omit<DatabaseOptions, 'databaseUrl' | 'dataDir' | 'migrationsPath'>): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `paygraph-${options.name}-`));
  const database = await openDatabase({ ...options, databaseUrl: undefined, dataDir });
  return {
    ...database,
    remove: async () => {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Global setup of the integration-postgresql project: one PostgreSQL server for the whole run.
// Each test file creates its own database in it (test/support/database.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../../tools/postgres-cluster.js';

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const prefix = `t_${randomBytes(3).toString('hex')}_`;
  provide('databasePrefix', prefix);
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    // A server someone else runs: leave it as it was found.
    provide('postgresUrl', given);
    return () => dropDatabases(given, prefix);
  }
  const cluster = await startPostgresCluster();
  provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}

async function dropDatabases(adminUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1)',
      [prefix],
    );
    for (const { datname } of rows) {
      await client.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await client.end();
  }
}

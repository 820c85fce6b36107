import pg from 'pg';
import type { Dialect, Orm } from './database.js';

/** What opening a database does with its migrations: apply the pending ones, refuse to open with any, or neither (the migrate script). */
export type MigrateOnOpen = 'apply' | 'require' | 'none';

export interface MigrationStatus {
  executed: { name: string; executedAt: Date }[];
  pending: string[];
}

/** The migrations applied to the database (oldest first) and those still to apply, in order. */
export async function migrationStatus(orm: Orm): Promise<MigrationStatus> {
  const migrator = orm.getMigrator();
  const executed = await migrator.getExecutedMigrations();
  const pending = await migrator.getPendingMigrations();
  return {
    executed: executed.map((row) => ({ name: row.name, executedAt: new Date(row.executed_at) })),
    pending: pending.map((migration) => migration.name),
  };
}

export interface ApplyTarget {
  /** the subgraph's name: its PostgreSQL schema, and its migration lock */
  name: string;
  dialect: Dialect;
  databaseUrl: string | undefined;
}

/**
 * Applies the pending migrations (all in one transaction) and returns their names. On PostgreSQL replicas
 * starting together (or a `migrate up` beside them) take turns under a session advisory lock, so the
 * second finds nothing pending instead of running the same DDL twice; SQLite is one process's file.
 */
export async function applyMigrations(orm: Orm, target: ApplyTarget): Promise<string[]> {
  const up = async () => (await orm.getMigrator().up()).map((migration) => migration.name);
  if (target.dialect !== 'postgresql') return up();
  const lock = new pg.Client({ connectionString: target.databaseUrl, application_name: `${target.name} migrations` });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [`paygraph:migrations:${target.name}`]);
    return await up();
  } finally {
    // ending the session releases its lock
    await lock.end();
  }
}

export class PendingMigrationsError extends Error {
  constructor(name: string, pending: string[]) {
    super(
      `${name}: ${pending.length} migration(s) not applied (${pending.join(', ')}) and MIGRATE_ON_START=false: ` +
        `run \`node dist/scripts/migrate.js up ${name}\` (or \`npm run migrate -- up ${name}\`) first`,
    );
  }
}

/** Refuses a database whose schema is behind the code (MIGRATE_ON_START=false: migrations are a deployment step). */
export async function requireMigrated(orm: Orm, name: string): Promise<void> {
  const { pending } = await migrationStatus(orm);
  if (pending.length > 0) throw new PendingMigrationsError(name, pending);
}

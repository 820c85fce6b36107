import { join } from 'node:path';
import type { EntitySchema, MigrationObject } from '@mikro-orm/core';
import { MikroORM as SqliteOrm } from '@mikro-orm/better-sqlite';
import { MikroORM as PostgresOrm } from '@mikro-orm/postgresql';
import type { MikroORM, EntityManager } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { applyMigrations, requireMigrated, type MigrateOnOpen } from './migrations.js';
import { ownerOnlyDirectory, ownerOnlyFile } from './owner-only.js';
import { tracedSqlLoggerFactory } from './tracing/sql.js';

export type Dialect = 'sqlite' | 'postgresql';
export type Orm = MikroORM;
export type Em = EntityManager;

export interface DatabaseOptions {
  /** the subgraph's name: the SQLite file name, or the PostgreSQL schema */
  name: string;
  /** unset: embedded SQLite under dataDir; postgres://… : PostgreSQL */
  databaseUrl: string | undefined;
  dataDir: string;
  entities: EntitySchema<any, any>[];
  migrations: Record<Dialect, MigrationObject[]>;
  /** receives every SQL statement, for tests that count them */
  onQuery?: (sql: string) => void;
  /** where new migrations are written (only the migration:create script sets it) */
  migrationsPath?: string;
  /** apply (default): the pending migrations are applied; require: refused when any is pending; none: neither */
  migrate?: MigrateOnOpen;
}

export interface Database {
  orm: Orm;
  dialect: Dialect;
  /** a new EntityManager: one per request (or job), never shared */
  fork(): Em;
  close: () => Promise<void>;
}

export function dialectOf(databaseUrl: string | undefined): Dialect {
  return databaseUrl ? 'postgresql' : 'sqlite';
}

function sharedConfig(options: DatabaseOptions) {
  const loggerFactory = tracedSqlLoggerFactory(options.name, dialectOf(options.databaseUrl));
  return {
    entities: options.entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: options.onQuery ? ['query' as const] : false,
    logger: options.onQuery ?? (() => undefined),
    ...(loggerFactory ? { loggerFactory } : {}),
    migrations: {
      migrationsList: options.migrations[dialectOf(options.databaseUrl)],
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts' as const,
      ...(options.migrationsPath ? { path: options.migrationsPath } : {}),
    },
  };
}

/** Opens the subgraph's own database and applies its migrations (or, as `migrate` says, checks or leaves them). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const dialect = dialectOf(options.databaseUrl);
  let orm: Orm;
  if (dialect === 'postgresql') {
    orm = await PostgresOrm.init({
      ...sharedConfig(options),
      clientUrl: options.databaseUrl,
      schema: options.name,
      pool: { min: 0, max: 10 },
      // names the subgraph in pg_stat_activity and in the server's log (bench/statement-log.ts counts by it)
      driverOptions: { connection: { application_name: options.name } },
    });
    await orm.em.getConnection().execute(`create schema if not exists "${options.name}"`);
  } else {
    const dbName = join(options.dataDir, `${options.name}.sqlite`);
    // SQLite gives its -wal and -shm files the database file's mode: owner only, like the file
    ownerOnlyDirectory(options.dataDir);
    ownerOnlyFile(dbName);
    orm = await SqliteOrm.init({ ...sharedConfig(options), dbName });
    const connection = orm.em.getConnection();
    await connection.execute('pragma journal_mode = wal');
    await connection.execute('pragma synchronous = normal');
    await connection.execute('pragma busy_timeout = 5000');
  }
  const migrate = options.migrate ?? 'apply';
  try {
    if (migrate === 'apply') await applyMigrations(orm, { name: options.name, dialect, databaseUrl: options.databaseUrl });
    if (migrate === 'require') await requireMigrated(orm, options.name);
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  return { orm, dialect, fork: () => orm.em.fork() as Em, close: () => orm.close(true) };
}

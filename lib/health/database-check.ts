import type { Database } from '../database.js';
import type { CheckResult, ReadinessCheck } from './readiness.js';

/** The database answers one cheap statement (bounded by the readiness timeout). */
export function databaseCheck(database: Pick<Database, 'fork'>): ReadinessCheck {
  return async () => {
    await database.fork().getConnection().execute('select 1');
    return { ok: true };
  };
}

/**
 * The migrations this code knows that the database has not applied, read once (at start, after they
 * ran): none unless another version of the service migrated its database back meanwhile.
 */
export async function migrationsCheck(database: Pick<Database, 'orm'>): Promise<ReadinessCheck> {
  const pending = (await database.orm.getMigrator().getPendingMigrations()).map((migration) => migration.name);
  const result: CheckResult = pending.length === 0 ? { ok: true } : { ok: false, detail: `migrations not applied: ${pending.join(', ')}` };
  return () => Promise.resolve(result);
}

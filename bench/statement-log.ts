import { closeSync, openSync, readSync, statSync } from 'node:fs';
import pg from 'pg';
import type { PostgresCluster } from '../tools/postgres-cluster.js';

/**
 * Counts the SQL statements PostgreSQL runs for each application (each subgraph's connections name
 * themselves, lib/database.ts), from the server's own log: exact, whatever the client or the path
 * (ORM, raw `pg`, LISTEN connections). The cluster must be started with `STATEMENT_LOG_SETTINGS`; only
 * the databases given to `logStatementsOf` are logged (pgbench's is not).
 */
export const STATEMENT_LOG_SETTINGS = { log_line_prefix: "'%a|'" } as const;

export type StatementCounts = Record<string, number>;

export interface StatementLog {
  /** statements per application since the log was opened */
  counts(): StatementCounts;
}

// log_statement=all writes `LOG:  statement: …` (simple protocol) or `LOG:  execute <name>: …` (extended)
const STATEMENT = /^([^|\n]*)\|LOG: {2}(?:statement|execute [^:]*):/gm;

/** Logs every statement of `databaseUrl`'s database from now on (connections opened after this call). */
export async function logStatementsOf(cluster: PostgresCluster, databaseUrl: string): Promise<StatementLog> {
  const database = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(`alter database "${database}" set log_statement = 'all'`);
  } finally {
    await admin.end();
  }
  let offset = statSync(cluster.logFile).size;
  let partial = '';
  const totals: StatementCounts = {};
  return {
    counts() {
      const size = statSync(cluster.logFile).size;
      if (size > offset) {
        const buffer = Buffer.alloc(size - offset);
        const fd = openSync(cluster.logFile, 'r');
        try {
          readSync(fd, buffer, 0, buffer.length, offset);
        } finally {
          closeSync(fd);
        }
        offset = size;
        const text = partial + buffer.toString('utf8');
        const end = text.lastIndexOf('\n') + 1;
        partial = text.slice(end);
        for (const match of text.slice(0, end).matchAll(STATEMENT)) {
          const application = match[1] || '(unnamed)';
          totals[application] = (totals[application] ?? 0) + 1;
        }
      }
      return { ...totals };
    },
  };
}

/** What ran between two readings, per application. */
export function statementsBetween(before: StatementCounts, after: StatementCounts): StatementCounts {
  return Object.fromEntries(Object.entries(after).map(([name, n]) => [name, n - (before[name] ?? 0)]));
}

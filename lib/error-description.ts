import { DriverException } from '@mikro-orm/core';

/** What of a database error is safe to log: names of things, never values. */
const DATABASE_FACTS = ['code', 'sqlState', 'errno', 'constraint', 'table', 'column', 'routine'];

/**
 * A database driver's error: MikroORM's DriverException (whose message is the statement with its
 * parameters inlined, then the driver's own), or pg's or better-sqlite3's own (pg's message and
 * detail may quote a value: 'invalid input syntax for type integer: "…"', 'Key (id)=(…)').
 */
function isDatabaseError(error: Error): boolean {
  return error instanceof DriverException || 'sqlState' in error || ('severity' in error && 'routine' in error) || error.name === 'SqliteError';
}

/** The error, or the first database error it wraps (GraphQL's originalError, an Error's cause). */
function databaseErrorIn(error: Error): Error | null {
  let current: unknown = error;
  for (let step = 0; step < 8 && current instanceof Error; step += 1) {
    if (isDatabaseError(current)) return current;
    const wrapped = current as { originalError?: unknown; cause?: unknown };
    current = wrapped.originalError ?? wrapped.cause;
  }
  return null;
}

/** An error as it may be logged: its type and stack; of a database error, the codes and names it carries and its stack frames only. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${typeof error}`;
  const database = databaseErrorIn(error);
  if (!database) return error.stack ?? `${error.name}: ${error.message}`;
  const fields = database as unknown as Record<string, unknown>;
  const facts = DATABASE_FACTS.filter((name) => typeof fields[name] === 'string' || typeof fields[name] === 'number').map((name) => `${name}=${String(fields[name])}`);
  const frames = (database.stack ?? '').split('\n').filter((line) => line.trim().startsWith('at '));
  return [`${database.name} (${facts.join(' ') || 'no code'}; the message, which may quote the statement's values, is not logged)`, ...frames].join('\n');
}

/** An error in one line, for warnings: its message; of a database error, only its name and codes (see describeError). */
export function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return databaseErrorIn(error) ? (describeError(error).split('\n')[0] ?? error.name) : error.message;
}

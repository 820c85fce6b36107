import { describe, expect, it } from 'vitest';
import { describeError, errorSummary } from './error-description.js';

/** An error shaped as better-sqlite3's: its message quotes the values of the failed statement. */
function sqliteError(message: string): Error {
  const error = new Error(message);
  error.name = 'SqliteError';
  Object.assign(error, { code: 'SQLITE_CONSTRAINT_UNIQUE' });
  return error;
}

describe('logged errors', () => {
  const secret = "insert into `payments` (`id`) values ('pay_secret_value')";

  it('a database error, bare or wrapped, is described by its name and codes, never its message', () => {
    for (const error of [sqliteError(secret), new Error('wrapper', { cause: sqliteError(secret) })]) {
      expect(describeError(error)).toContain('SQLITE_CONSTRAINT_UNIQUE');
      expect(describeError(error)).not.toContain('pay_secret_value');
      expect(errorSummary(error)).toMatch(/^SqliteError \(code=SQLITE_CONSTRAINT_UNIQUE/);
      expect(errorSummary(error)).not.toContain('pay_secret_value');
    }
  });

  it('any other error keeps its message', () => {
    expect(errorSummary(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe('connect ECONNREFUSED 127.0.0.1:6379');
    expect(errorSummary('plain')).toBe('plain');
  });
});

import { parseArgs } from 'node:util';

export interface SeedOptions {
  payments: number;
  merchants: number;
  months: number;
  seed: number;
  /** the end of the period (exclusive): the data set is what the platform would hold at that moment */
  end: Date;
}

export const USAGE = `usage: npm run seed -- --payments <n> [--merchants 200] [--months 6] [--seed 42] [--end <ISO time>]
  fills the configured database (DATABASE_URL, or the SQLite files under DATA_DIR) with n payments
  of the merchants over the months before --end (default: the start of the current UTC hour)`;

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}

/** The command line of `npm run seed`; throws an Error with a message for a bad one. */
export function parseSeedOptions(args: string[], now: Date): SeedOptions {
  const { values } = parseArgs({
    args,
    options: {
      payments: { type: 'string' },
      merchants: { type: 'string', default: '200' },
      months: { type: 'string', default: '6' },
      seed: { type: 'string', default: '42' },
      end: { type: 'string' },
    },
    strict: true,
  });
  if (values.payments === undefined) throw new Error('--payments is required');
  const end = values.end === undefined ? new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000) : new Date(values.end);
  if (Number.isNaN(end.getTime()) || (values.end !== undefined && !/(Z|[+-]\d\d:?\d\d)$/.test(values.end))) {
    throw new Error(`--end must be an ISO-8601 time with a zone, e.g. 2026-11-22T00:00:00Z, not "${values.end}"`);
  }
  return {
    payments: integer('payments', values.payments, 1, 100_000_000),
    merchants: integer('merchants', values.merchants, 1, 100_000),
    months: integer('months', values.months, 1, 120),
    seed: integer('seed', values.seed, 0, 4_294_967_295),
    end,
  };
}

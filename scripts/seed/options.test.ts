import { describe, expect, it } from 'vitest';
import { parseSeedOptions } from './options.js';

const now = new Date('2026-11-22T07:41:12.345Z');

describe('parseSeedOptions', () => {
  it('has the documented defaults, ending at the start of the current UTC hour', () => {
    expect(parseSeedOptions(['--payments', '1000000'], now)).toEqual({ payments: 1_000_000, merchants: 200, months: 6, seed: 42, end: new Date('2026-11-22T07:00:00.000Z') });
  });

  it('takes every option', () => {
    expect(parseSeedOptions(['--payments', '5', '--merchants', '3', '--months', '1', '--seed', '9', '--end', '2026-01-01T00:00:00+08:00'], now)).toEqual({
      payments: 5,
      merchants: 3,
      months: 1,
      seed: 9,
      end: new Date('2025-12-31T16:00:00.000Z'),
    });
  });

  it.each([
    [[], /--payments is required/],
    [['--payments', '0'], /--payments must be a whole number from 1/],
    [['--payments', '1e6'], /--payments must be a whole number/],
    [['--payments', '10', '--months', '0'], /--months must be a whole number from 1 to 120/],
    [['--payments', '10', '--end', '2026-11-22'], /--end must be an ISO-8601 time with a zone/],
    [['--payments', '10', '--end', 'yesterday'], /--end must be an ISO-8601 time with a zone/],
    [['--payments', '10', '--rows', '5'], /Unknown option '--rows'/],
  ])('refuses %j with a message', (args, message) => {
    expect(() => parseSeedOptions(args, now)).toThrow(message);
  });
});

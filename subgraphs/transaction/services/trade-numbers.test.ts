import { describe, expect, it } from 'vitest';
import { formatTradeNo, TRADE_NO_PATTERN, tradeDay } from './trade-numbers.js';

describe('trade numbers', () => {
  it('PG, the UTC day, then the sequence in 12 digits', () => {
    expect(formatTradeNo('20261122', 42)).toBe('PG20261122000000000042');
    expect(formatTradeNo('20261122', 999_999_999_999)).toBe('PG20261122999999999999');
    expect(formatTradeNo('20261122', 42)).toMatch(TRADE_NO_PATTERN);
  });

  it('the day is the UTC day, whatever the local zone', () => {
    expect(tradeDay(new Date('2026-11-22T23:59:59.999Z'))).toBe('20261122');
    expect(tradeDay(new Date('2026-11-23T00:30:00+01:00'))).toBe('20261122');
    expect(tradeDay(new Date('2026-11-23T00:00:00.000Z'))).toBe('20261123');
  });

  it.each([0, -1, 1.5, 1_000_000_000_000])('refuses sequence %s', (sequence) => {
    expect(() => formatTradeNo('20261122', sequence)).toThrow(/outside/);
  });

  it('refuses a day that is not yyyymmdd', () => {
    expect(() => formatTradeNo('2026-11-22', 1)).toThrow(/yyyymmdd/);
  });
});

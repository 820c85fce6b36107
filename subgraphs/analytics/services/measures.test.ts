import { describe, expect, it } from 'vitest';
import { measureValue, measures, needsCurrency, ratio, type GroupSums } from './measures.js';

const sums = (fields: Partial<GroupSums>): GroupSums => ({ payments: 0, succeeded: 0, failed: 0, captured: 0n, refunded: 0n, fee: 0n, ...fields });

describe('ratio', () => {
  it('has exactly 6 decimals, 0 and 1 included', () => {
    expect(ratio(0n, 7n)).toBe('0.000000');
    expect(ratio(7n, 7n)).toBe('1.000000');
    expect(ratio(1n, 4n)).toBe('0.250000');
  });

  it('rounds half up at the 6th decimal', () => {
    expect(ratio(1n, 3n)).toBe('0.333333');
    expect(ratio(2n, 3n)).toBe('0.666667');
    // exactly half a millionth: up
    expect(ratio(1n, 2_000_000n)).toBe('0.000001');
    // just below half: down
    expect(ratio(1n, 2_000_001n)).toBe('0.000000');
    // 0.9999995 rounds to 1, never above
    expect(ratio(1_999_999n, 2_000_000n)).toBe('1.000000');
  });

  it('is exact with amounts beyond 2^53', () => {
    const d = 9_223_372_036_854_775_807n;
    expect(ratio(4_611_686_018_427_387_903n, d)).toBe('0.500000');
    expect(ratio(9_223_372_036_854_775_806n, d)).toBe('1.000000');
  });
});

describe('measureValue', () => {
  const group = sums({ payments: 10, succeeded: 3, failed: 1, captured: 10_001n, refunded: 2_500n, fee: 329n });

  it('writes amounts with the currency’s decimals', () => {
    expect(measureValue('GMV', group, 'USD')).toBe('100.01');
    expect(measureValue('REFUNDED_AMOUNT', group, 'USD')).toBe('25.00');
    expect(measureValue('FEE_REVENUE', group, 'USD')).toBe('3.29');
    expect(measureValue('GMV', group, 'JPY')).toBe('10001');
    expect(measureValue('GMV', group, 'KWD')).toBe('10.001');
  });

  it('counts as integers', () => {
    expect([measureValue('PAYMENT_COUNT', group, null), measureValue('SUCCEEDED_COUNT', group, null), measureValue('FAILED_COUNT', group, null)]).toEqual(['10', '3', '1']);
  });

  it('computes the rates of the contract', () => {
    expect(measureValue('SUCCESS_RATE', group, null)).toBe('0.750000');
    // 2500 / 10001 = 0.24997500…
    expect(measureValue('REFUND_RATE', group, 'USD')).toBe('0.249975');
  });

  it('rounds the average ticket half up to the minor unit', () => {
    // 10001 / 3 = 3333.67 cents: 33.34
    expect(measureValue('AVERAGE_TICKET', group, 'USD')).toBe('33.34');
    // 5 / 2 = 2.5 yen: 3
    expect(measureValue('AVERAGE_TICKET', sums({ succeeded: 2, captured: 5n }), 'JPY')).toBe('3');
  });

  it('has no value where the denominator is zero', () => {
    const nothingDecided = sums({ payments: 2 });
    expect(measureValue('SUCCESS_RATE', nothingDecided, null)).toBeNull();
    expect(measureValue('REFUND_RATE', nothingDecided, 'USD')).toBeNull();
    expect(measureValue('AVERAGE_TICKET', nothingDecided, 'USD')).toBeNull();
    // a group of failures only: a success rate of 0, but no ticket
    expect(measureValue('SUCCESS_RATE', sums({ payments: 2, failed: 2 }), null)).toBe('0.000000');
  });

  it('refuses to write an amount without its currency', () => {
    expect(() => measureValue('GMV', group, null)).toThrow(/needs a currency/);
  });

  it('knows which measures are per currency', () => {
    expect(measures.filter(needsCurrency)).toEqual(['GMV', 'REFUNDED_AMOUNT', 'REFUND_RATE', 'FEE_REVENUE', 'AVERAGE_TICKET']);
  });
});

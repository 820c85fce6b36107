import { describe, expect, it } from 'vitest';
import {
  absolute,
  add,
  basisPointsOf,
  compare,
  CurrencyMismatchError,
  currencyExponent,
  DecimalAmountError,
  divideEvenly,
  divideHalfUp,
  equals,
  formatAmount,
  greaterThan,
  isNegative,
  isPositive,
  isSameAmount,
  isZero,
  lessThan,
  max,
  min,
  money,
  multiply,
  negate,
  parseDecimalAmount,
  parseExactAmount,
  ratioOf,
  subtract,
  sum,
  toApiMoney,
  zero,
  type Money,
} from './money.js';

const usd = (minor: bigint) => money(minor, 'USD');

/** A seeded generator (mulberry32): the same "random" amounts on every run, so a failure can be replayed. */
function generator(seed: number): () => bigint {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const word = BigInt((t ^ (t >>> 14)) >>> 0);
    // signed amounts up to ±2^40 minor units, from two draws
    return BigInt.asIntN(41, (word << 9n) ^ BigInt(Math.imul(t, 31) >>> 0));
  };
}

describe('currencies', () => {
  it('knows the exponents of USD, JPY and KWD', () => {
    expect([currencyExponent('USD'), currencyExponent('JPY'), currencyExponent('KWD')]).toEqual([2, 0, 3]);
    expect(currencyExponent('usd')).toBeUndefined();
  });

  it('refuses an unknown currency', () => {
    expect(() => money(1n, 'XYZ')).toThrow(/unknown currency/);
    expect(() => zero('XAU')).toThrow(/unknown currency/);
  });
});

describe('formatAmount and toApiMoney', () => {
  it('toApiMoney gives amount, currency and minor units as strings', () => {
    expect(toApiMoney(money(123456n, 'KWD'))).toEqual({ amount: '123.456', currency: 'KWD', minorUnits: '123456' });
  });

  it('formats negative amounts (differences) with a sign', () => {
    expect(formatAmount(money(-5n, 'USD'))).toBe('-0.05');
    expect(formatAmount(money(-1234n, 'JPY'))).toBe('-1234');
  });
});

describe('arithmetic', () => {
  it('adds, subtracts, negates and compares amounts of one currency', () => {
    expect(add(usd(150n), usd(250n))).toEqual({ minor: 400n, currency: 'USD' });
    expect(subtract(usd(150n), usd(250n))).toEqual({ minor: -100n, currency: 'USD' });
    expect(negate(usd(150n))).toEqual(usd(-150n));
    expect(absolute(usd(-150n))).toEqual(usd(150n));
    expect(absolute(usd(150n))).toEqual(usd(150n));
    expect([compare(money(1n, 'EUR'), money(2n, 'EUR')), compare(money(2n, 'EUR'), money(2n, 'EUR')), compare(money(3n, 'EUR'), money(2n, 'EUR'))]).toEqual([-1, 0, 1]);
    expect([lessThan(usd(1n), usd(2n)), greaterThan(usd(1n), usd(2n)), equals(usd(2n), usd(2n))]).toEqual([true, false, true]);
    expect([min(usd(3n), usd(-4n)), max(usd(3n), usd(-4n))]).toEqual([usd(-4n), usd(3n)]);
    expect(multiply(usd(-25n), 3)).toEqual(usd(-75n));
  });

  it('tells zero, positive and negative apart', () => {
    expect([isZero(usd(0n)), isPositive(usd(0n)), isNegative(usd(0n))]).toEqual([true, false, false]);
    expect([isZero(usd(1n)), isPositive(usd(1n)), isNegative(usd(1n))]).toEqual([false, true, false]);
    expect([isZero(usd(-1n)), isPositive(usd(-1n)), isNegative(usd(-1n))]).toEqual([false, false, true]);
  });

  it('sums a list, an empty one to zero of the currency given', () => {
    expect(sum([usd(1n), usd(2n), usd(-10n)], 'USD')).toEqual(usd(-7n));
    expect(sum([], 'JPY')).toEqual(money(0n, 'JPY'));
    expect(() => sum([usd(1n)], 'EUR')).toThrow(CurrencyMismatchError);
  });

  it('is exact beyond 2^53 and 2^64', () => {
    expect(add(usd(9_007_199_254_740_992n), usd(1n)).minor).toBe(9_007_199_254_740_993n);
    expect(add(usd(18_446_744_073_709_551_616n), usd(18_446_744_073_709_551_616n)).minor).toBe(36_893_488_147_419_103_232n);
  });

  it('adds associatively and commutatively, and subtract undoes add, over seeded random amounts', () => {
    const next = generator(20261201);
    for (let i = 0; i < 500; i++) {
      const [a, b, c] = [usd(next()), usd(next()), usd(next())];
      expect(add(add(a, b), c)).toEqual(add(a, add(b, c)));
      expect(add(a, b)).toEqual(add(b, a));
      expect(subtract(add(a, b), b)).toEqual(a);
      expect(add(a, negate(a))).toEqual(zero('USD'));
      expect(compare(a, b)).toBe(-compare(b, a));
    }
  });

  it('refuses to mix currencies in every operation, with a typed error', () => {
    const [dollar, euro] = [usd(1n), money(1n, 'EUR')];
    const mixes: [string, () => unknown][] = [
      ['add', () => add(dollar, euro)],
      ['subtract', () => subtract(dollar, euro)],
      ['compare', () => compare(dollar, euro)],
      ['equals', () => equals(dollar, euro)],
      ['lessThan', () => lessThan(dollar, euro)],
      ['greaterThan', () => greaterThan(dollar, euro)],
      ['min', () => min(dollar, euro)],
      ['max', () => max(dollar, euro)],
      ['sum', () => sum([dollar, euro], 'USD')],
      ['ratioOf', () => ratioOf(dollar, euro, 2)],
    ];
    for (const [name, mix] of mixes) {
      expect(mix, name).toThrow(CurrencyMismatchError);
      expect(mix, name).toThrow(/USD and EUR/);
    }
  });

  it('compares amounts of two parties without refusing a different currency', () => {
    expect(isSameAmount(usd(1n), usd(1n))).toBe(true);
    expect(isSameAmount(usd(1n), money(1n, 'EUR'))).toBe(false);
    expect(isSameAmount(usd(1n), usd(2n))).toBe(false);
  });
});

describe('rounding half up', () => {
  it.each([
    [5n, 2n, 3n], // 2.5
    [3n, 2n, 2n], // 1.5
    [-5n, 2n, -2n], // -2.5: half up is toward +∞
    [-3n, 2n, -1n], // -1.5
    [-7n, 2n, -3n], // -3.5
    [7n, 3n, 2n], // 2.33
    [8n, 3n, 3n], // 2.67
    [-7n, 3n, -2n], // -2.33
    [-8n, 3n, -3n], // -2.67
    [0n, 7n, 0n],
  ])('%i / %i is %i', (n, d, rounded) => {
    expect(divideHalfUp(n, d)).toBe(rounded);
  });

  it('refuses a divisor that is not positive', () => {
    expect(() => divideHalfUp(1n, 0n)).toThrow(RangeError);
  });

  it('takes basis points of an amount, rounded half up at the .5 boundary', () => {
    // 250 bps (2.5%) of 18, 20, 22 minor units: 0.45, 0.5, 0.55
    expect([18n, 20n, 22n].map((minor) => basisPointsOf(money(minor, 'CNY'), 250).minor)).toEqual([0n, 1n, 1n]);
    // of -20 minor units: -0.5, up to 0; of -22: -0.55, to -1
    expect([-20n, -22n].map((minor) => basisPointsOf(money(minor, 'CNY'), 250).minor)).toEqual([0n, -1n]);
    expect(basisPointsOf(usd(10_000n), 290)).toEqual(usd(290n));
    expect(basisPointsOf(usd(1_234n), 10_000)).toEqual(usd(1_234n));
  });

  it('divides evenly (an average ticket) and writes ratios, half up', () => {
    expect(divideEvenly(usd(1_000n), 3)).toEqual(usd(333n));
    expect(divideEvenly(usd(1_001n), 2)).toEqual(usd(501n));
    expect(ratioOf(usd(1n), usd(3n), 6)).toBe('0.333333');
    expect(ratioOf(usd(2n), usd(3n), 6)).toBe('0.666667');
    expect(ratioOf(usd(3n), usd(3n), 6)).toBe('1.000000');
    expect(ratioOf(usd(1n), usd(8n), 2)).toBe('0.13');
  });
});

describe('parseDecimalAmount', () => {
  it.each([
    ['10.00', 'USD', 1000n],
    ['10', 'USD', 1000n],
    ['0.5', 'USD', 50n],
    ['-35.8', 'CNY', -3580n],
    ['0', 'USD', 0n],
    ['-0', 'USD', 0n],
    ['1000', 'JPY', 1000n],
    ['0.001', 'KWD', 1n],
    ['92233720368547758.08', 'USD', 9_223_372_036_854_775_808n],
  ])('"%s" %s is %i minor units', (text, currency, minor) => {
    expect(parseDecimalAmount(text, currency)).toEqual(money(minor, currency));
  });

  it.each([
    ['10.001', 'USD', 'too-many-decimals'],
    ['1.5', 'JPY', 'too-many-decimals'],
    ['ten', 'USD', 'not-a-decimal'],
    ['', 'USD', 'not-a-decimal'],
    [' 1.00', 'USD', 'not-a-decimal'],
    ['+5', 'USD', 'not-a-decimal'],
    ['1e3', 'USD', 'not-a-decimal'],
    ['.5', 'USD', 'not-a-decimal'],
    ['5.', 'USD', 'not-a-decimal'],
    ['--1', 'USD', 'not-a-decimal'],
    ['1,000.00', 'USD', 'not-a-decimal'],
    ['9'.repeat(60), 'USD', 'too-large'],
    ['1.00', 'XYZ', 'unknown-currency'],
  ])('refuses "%s" %s: %s', (text, currency, refusal) => {
    let error: unknown;
    try {
      parseDecimalAmount(text, currency);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DecimalAmountError);
    expect((error as DecimalAmountError).refusal).toBe(refusal);
  });

  it('reads back what formatAmount writes, over seeded random amounts', () => {
    const next = generator(7);
    for (const currency of ['USD', 'JPY', 'KWD']) {
      for (let i = 0; i < 200; i++) {
        const amount: Money = money(next(), currency);
        expect(parseDecimalAmount(formatAmount(amount), currency)).toEqual(amount);
        expect(parseExactAmount(formatAmount(amount), currency)).toEqual(amount);
      }
    }
  });

  it('parseExactAmount takes only the form formatAmount writes', () => {
    expect(parseExactAmount('100.00', 'USD')).toEqual(usd(10_000n));
    for (const text of ['100', '100.0', '0100.00', '-0.00']) {
      expect(() => parseExactAmount(text, 'USD'), text).toThrow(DecimalAmountError);
    }
  });
});

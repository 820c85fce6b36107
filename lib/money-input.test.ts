import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { parseMoneyInput } from './money-input.js';
import { formatAmount, MAX_MINOR_UNITS } from './money.js';

const parse = (amount: string, currency: string) => parseMoneyInput({ amount, currency }, 'input.amount');

/** The refusal parseMoneyInput throws: a BAD_USER_INPUT DomainError naming the field. */
function refusal(amount: string, currency: string): DomainError {
  try {
    parse(amount, currency);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`"${amount}" ${currency} was accepted`);
}

describe('parseMoneyInput and formatAmount', () => {
  it.each([
    ['10.00', 'USD', 1000n, '10.00'],
    ['10', 'USD', 1000n, '10.00'],
    ['0.5', 'USD', 50n, '0.50'],
    ['0.01', 'USD', 1n, '0.01'],
    ['1000', 'JPY', 1000n, '1000'],
    ['1', 'JPY', 1n, '1'],
    ['1.25', 'KWD', 1250n, '1.250'],
    ['0.001', 'KWD', 1n, '0.001'],
    ['1.250', 'KWD', 1250n, '1.250'],
  ])('"%s" %s is %i minor units, shown as "%s"', (amount, currency, minor, shown) => {
    const parsed = parse(amount, currency);
    expect(parsed).toEqual({ minor, currency });
    expect(formatAmount(parsed)).toBe(shown);
    expect(parse(formatAmount(parsed), currency)).toEqual(parsed);
  });

  it('accepts 2^63 - 1 minor units and refuses 2^63', () => {
    expect(parse('92233720368547758.07', 'USD').minor).toBe(MAX_MINOR_UNITS);
    expect(parse('9223372036854775807', 'JPY').minor).toBe(9_223_372_036_854_775_807n);
    expect(refusal('92233720368547758.08', 'USD').message).toMatch(/too large/);
    expect(refusal('9223372036854775808', 'JPY').message).toMatch(/too large/);
  });
});

describe('parseMoneyInput refuses, naming the field', () => {
  it.each([
    ['more decimals than USD has', '10.001', 'USD', 'input.amount.amount'],
    ['decimals in JPY', '1.5', 'JPY', 'input.amount.amount'],
    ['more decimals than KWD has', '1.0001', 'KWD', 'input.amount.amount'],
    ['zero', '0', 'USD', 'input.amount.amount'],
    ['zero with decimals', '0.00', 'USD', 'input.amount.amount'],
    ['negative', '-5.00', 'USD', 'input.amount.amount'],
    ['negative zero', '-0', 'USD', 'input.amount.amount'],
    ['a word', 'ten', 'USD', 'input.amount.amount'],
    ['empty', '', 'USD', 'input.amount.amount'],
    ['an exponent', '1e3', 'USD', 'input.amount.amount'],
    ['a plus sign', '+5', 'USD', 'input.amount.amount'],
    ['a trailing point', '5.', 'USD', 'input.amount.amount'],
    ['a leading point', '.5', 'USD', 'input.amount.amount'],
    ['a comma', '1,000.00', 'USD', 'input.amount.amount'],
    ['hexadecimal', '0x10', 'USD', 'input.amount.amount'],
    ['far beyond 64 bits', '9'.repeat(60), 'USD', 'input.amount.amount'],
    ['a huge exponent', '1e400', 'USD', 'input.amount.amount'],
    ['Infinity', 'Infinity', 'USD', 'input.amount.amount'],
    ['NaN', 'NaN', 'USD', 'input.amount.amount'],
    ['10,000 digits', '9'.repeat(10_000), 'USD', 'input.amount.amount'],
    ['10,000 digits of fraction', `1.${'0'.repeat(10_000)}`, 'USD', 'input.amount.amount'],
    ['an unknown currency', '10.00', 'XYZ', 'input.amount.currency'],
    ['a lower-case currency', '10.00', 'usd', 'input.amount.currency'],
    ['a metal, not money', '1.00', 'XAU', 'input.amount.currency'],
    ['an empty currency', '1.00', '', 'input.amount.currency'],
  ])('%s ("%s" %s)', (_name, amount, currency, field) => {
    const error = refusal(amount, currency);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details).toEqual({ field });
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });
});

describe('parseMoneyInput and overlong text', () => {
  it('refuses 10,000 digits by their length, without quoting them', () => {
    const error = refusal('9'.repeat(10_000), 'USD');
    expect(error.message).toBe('input.amount.amount: must be at most 40 characters');
  });

  it('accepts 40 characters and refuses 41', () => {
    expect(parse(`${' '.repeat(35)}10.00`, 'USD')).toEqual({ minor: 1000n, currency: 'USD' });
    expect(refusal(`${' '.repeat(36)}10.00`, 'USD').message).toMatch(/at most 40 characters/);
  });
});

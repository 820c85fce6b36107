import currencyCodes from 'currency-codes';
import { fail } from './errors.js';

/** An exact amount: an integer count of the currency's minor unit. */
export interface Money {
  readonly minor: bigint;
  readonly currency: string;
}

/** Money as the API shows it. */
export interface ApiMoney {
  amount: string;
  currency: string;
  minorUnits: string;
}

export const MAX_MINOR_UNITS = 2n ** 63n - 1n;

// ISO 4217 codes that are not money one can pay with: precious metals, bond units, SDR, test and "no currency".
const notPayable = new Set(['XAU', 'XAG', 'XPT', 'XPD', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XSU', 'XUA', 'XTS', 'XXX']);

const exponents = new Map<string, number>(
  currencyCodes
    .data.filter((c) => typeof c.digits === 'number' && !notPayable.has(c.code))
    .map((c) => [c.code, c.digits]),
);

/** The number of decimals of an ISO 4217 currency, or undefined when the code is not one. */
export function currencyExponent(currency: string): number | undefined {
  return exponents.get(currency);
}

function exponentOf(currency: string): number {
  const exponent = exponents.get(currency);
  if (exponent === undefined) throw new Error(`unknown currency ${currency}`);
  return exponent;
}

export function money(minor: bigint, currency: string): Money {
  exponentOf(currency);
  return { minor, currency };
}

export function zero(currency: string): Money {
  return money(0n, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new Error(`cannot combine ${a.currency} and ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { minor: a.minor + b.minor, currency: a.currency };
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { minor: a.minor - b.minor, currency: a.currency };
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

/** "10.00" for 1000 minor units of USD: always exactly the currency's number of decimals. */
export function formatAmount(value: Money): string {
  const exponent = exponentOf(value.currency);
  const negative = value.minor < 0n;
  const digits = (negative ? -value.minor : value.minor).toString().padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

export function toApiMoney(value: Money): ApiMoney {
  return { amount: formatAmount(value), currency: value.currency, minorUnits: value.minor.toString() };
}

const decimalPattern = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses an amount given in the API ("10.00" + "USD") into minor units.
 * Refuses, naming `field`: unknown currency, more decimals than the currency has, zero, negative,
 * anything that is not a plain decimal, and amounts beyond 64 bits.
 */
export function parseMoneyInput(input: { amount: string; currency: string }, field: string): Money {
  const currency = input.currency;
  const exponent = exponents.get(currency);
  if (exponent === undefined) {
    throw fail.badInput(`${field}.currency`, `"${currency}" is not an ISO 4217 currency code (upper case, e.g. USD)`);
  }
  const amountText = input.amount.trim();
  if (amountText.startsWith('-')) throw fail.badInput(`${field}.amount`, 'must be positive');
  const match = decimalPattern.exec(amountText);
  if (!match) throw fail.badInput(`${field}.amount`, `"${input.amount}" is not a decimal number such as "10.00"`);
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) {
    throw fail.badInput(`${field}.amount`, `${currency} allows at most ${exponent} decimal places`);
  }
  if (whole.length + exponent > 40) throw fail.badInput(`${field}.amount`, 'is too large');
  const minor = BigInt(whole + fraction.padEnd(exponent, '0'));
  if (minor === 0n) throw fail.badInput(`${field}.amount`, 'must be greater than zero');
  if (minor > MAX_MINOR_UNITS) throw fail.badInput(`${field}.amount`, 'is too large (beyond 64-bit minor units)');
  return { minor, currency };
}

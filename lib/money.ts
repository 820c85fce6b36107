import currencyCodes from 'currency-codes';

/**
 * An exact amount: an integer count of the currency's minor unit. The functions of this module are
 * the only arithmetic on amounts (a lint rule, eslint-rules/no-bigint-arithmetic.js, keeps it so):
 * each refuses to combine two currencies, as dinero.js does.
 */
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

/** Two amounts of different currencies were combined: a bug, never a user's input. */
export class CurrencyMismatchError extends Error {
  override name = 'CurrencyMismatchError';
  constructor(
    readonly left: string,
    readonly right: string,
  ) {
    super(`cannot combine ${left} and ${right}`);
  }
}

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

/** An amount from its minor units (a database column, an event's field) and currency. */
export function money(minor: bigint, currency: string): Money {
  exponentOf(currency);
  return { minor, currency };
}

export function zero(currency: string): Money {
  return money(0n, currency);
}

function sameCurrency(a: Money, b: Money): string {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
  return a.currency;
}

export function add(a: Money, b: Money): Money {
  return { minor: a.minor + b.minor, currency: sameCurrency(a, b) };
}

export function subtract(a: Money, b: Money): Money {
  return { minor: a.minor - b.minor, currency: sameCurrency(a, b) };
}

export function negate(a: Money): Money {
  return { minor: -a.minor, currency: a.currency };
}

/** The amount without its sign: a refund written negative on a bill is the refund's amount. */
export function absolute(a: Money): Money {
  return a.minor < 0n ? negate(a) : a;
}

/** The sum of a list of amounts of `currency` (zero for an empty list). */
export function sum(list: readonly Money[], currency: string): Money {
  return list.reduce(add, zero(currency));
}

/** `amount` times a whole number: a count of equal amounts. */
export function multiply(amount: Money, factor: bigint | number): Money {
  return { minor: amount.minor * BigInt(factor), currency: amount.currency };
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

export const equals = (a: Money, b: Money): boolean => compare(a, b) === 0;
export const lessThan = (a: Money, b: Money): boolean => compare(a, b) < 0;
export const lessThanOrEqual = (a: Money, b: Money): boolean => compare(a, b) <= 0;
export const greaterThan = (a: Money, b: Money): boolean => compare(a, b) > 0;
export const greaterThanOrEqual = (a: Money, b: Money): boolean => compare(a, b) >= 0;

/**
 * The same amount in the same currency: what two parties' records are compared by (a different
 * currency is a different amount, not an error).
 */
export const isSameAmount = (a: Money, b: Money): boolean => a.currency === b.currency && a.minor === b.minor;

export const isZero = (a: Money): boolean => a.minor === 0n;
export const isPositive = (a: Money): boolean => a.minor > 0n;
export const isNegative = (a: Money): boolean => a.minor < 0n;

export function min(a: Money, b: Money): Money {
  return lessThanOrEqual(a, b) ? a : b;
}

export function max(a: Money, b: Money): Money {
  return greaterThanOrEqual(a, b) ? a : b;
}

/**
 * n / d rounded half up (toward +∞ at exactly one half: 2.5 → 3, -2.5 → -2), d > 0: the one rounding
 * rule of amounts, as the fee rule says.
 */
export function divideHalfUp(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError('the divisor must be positive');
  const twice = 2n * n + d;
  const denominator = 2n * d;
  // floor((2n + d) / 2d): bigint division truncates toward zero, so step down for negative remainders
  const quotient = twice / denominator;
  return twice % denominator < 0n ? quotient - 1n : quotient;
}

/** `bps` basis points (hundredths of a percent) of an amount, rounded half up in minor units. */
export function basisPointsOf(amount: Money, bps: number): Money {
  return { minor: divideHalfUp(amount.minor * BigInt(bps), 10_000n), currency: amount.currency };
}

/** An amount divided into `parts` equal shares, rounded half up: the average of `parts` amounts. */
export function divideEvenly(amount: Money, parts: bigint | number): Money {
  return { minor: divideHalfUp(amount.minor, BigInt(parts)), currency: amount.currency };
}

/** a / b (0 ≤ a ≤ b, b > 0, one currency) with exactly `scale` decimals, rounded half up: "0.333333". */
export function ratioOf(a: Money, b: Money, scale: number): string {
  sameCurrency(a, b);
  return decimalRatio(a.minor, b.minor, scale);
}

/** n / d (0 ≤ n, d > 0) with exactly `scale` decimals, rounded half up: "0.333333", "1.000000". */
export function decimalRatio(n: bigint, d: bigint, scale: number): string {
  const scaled = divideHalfUp(n * 10n ** BigInt(scale), d);
  const digits = scaled.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/**
 * numerator/denominator of an amount, written in its major unit with `decimals` decimals, rounded half
 * up: a rate's fee shown finer than the minor unit, as WeChat Pay's bills write 0.6% of 12.34 CNY as "0.07404".
 */
export function formatShare(amount: Money, numerator: bigint, denominator: bigint, decimals: number): string {
  const magnitude = absolute(amount).minor;
  const text = decimalRatio(magnitude * numerator, denominator * 10n ** BigInt(exponentOf(amount.currency)), decimals);
  return isNegative(amount) ? `-${text}` : text;
}

/** The amount, negated when `negative`: a credit counted against debits, a refund written negative. */
export function signed(amount: Money, negative: boolean): Money {
  return negative ? negate(amount) : amount;
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

/** Why a decimal text is not an amount of a currency. */
export type DecimalRefusal = 'unknown-currency' | 'not-a-decimal' | 'too-many-decimals' | 'too-large' | 'not-exact';

export class DecimalAmountError extends Error {
  override name = 'DecimalAmountError';
  constructor(
    readonly refusal: DecimalRefusal,
    readonly text: string,
    readonly currency: string,
  ) {
    super(`"${text}" is not an amount of ${currency} (${refusal})`);
  }
}

const decimalPattern = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Beyond this many digits a text is refused before BigInt reads it (2^63 has 19). */
const MAX_DIGITS = 40;

/**
 * A decimal text ("10.00", "-35.8", "1000") as an exact amount of `currency`: digits with an optional
 * leading minus and at most the currency's number of decimals; no exponent, sign "+", grouping or
 * surrounding space. Throws a DecimalAmountError saying why. The API's rules (positive, 64 bits,
 * errors naming a field) are lib/money-input.ts's.
 */
export function parseDecimalAmount(text: string, currency: string): Money {
  const exponent = exponents.get(currency);
  if (exponent === undefined) throw new DecimalAmountError('unknown-currency', text, currency);
  const match = decimalPattern.exec(text);
  if (!match) throw new DecimalAmountError('not-a-decimal', text, currency);
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > exponent) throw new DecimalAmountError('too-many-decimals', text, currency);
  if (whole.length + exponent > MAX_DIGITS) throw new DecimalAmountError('too-large', text, currency);
  const minor = BigInt(whole + fraction.padEnd(exponent, '0'));
  return { minor: sign === '-' ? -minor : minor, currency };
}

/**
 * An amount written exactly as formatAmount writes it ("100.00" USD, "1000" JPY, "-3.50"): what
 * providers' files hold. Anything else (fewer decimals, leading zeros, "-0.00") is a DecimalAmountError.
 */
export function parseExactAmount(text: string, currency: string): Money {
  const amount = parseDecimalAmount(text, currency);
  if (formatAmount(amount) !== text) throw new DecimalAmountError('not-exact', text, currency);
  return amount;
}

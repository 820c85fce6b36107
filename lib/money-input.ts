import { fail } from './errors.js';
import { MAX_DECIMAL_LENGTH } from './input-rules.js';
import { currencyExponent, DecimalAmountError, isPositive, MAX_MINOR_UNITS, parseDecimalAmount, type Money } from './money.js';

/**
 * An amount given in the API ("10.00" + "USD"), by the API's rules: refuses, naming `field`, an
 * unknown currency, more decimals than the currency has, zero, negative, anything that is not a plain
 * decimal (an exponent, "Infinity", "NaN"), text longer than MAX_DECIMAL_LENGTH, and amounts beyond 64 bits.
 */
export function parseMoneyInput(input: { amount: string; currency: string }, field: string): Money {
  const currency = input.currency;
  const exponent = currencyExponent(currency);
  if (exponent === undefined) {
    throw fail.badInput(`${field}.currency`, `"${currency}" is not an ISO 4217 currency code (upper case, e.g. USD)`);
  }
  // refused before it is looked at (or quoted in a refusal): 10,000 digits cost time, and say nothing more than 41 do
  if (input.amount.length > MAX_DECIMAL_LENGTH) throw fail.badInput(`${field}.amount`, `must be at most ${MAX_DECIMAL_LENGTH} characters`);
  const amountText = input.amount.trim();
  if (amountText.startsWith('-')) throw fail.badInput(`${field}.amount`, 'must be positive');
  let amount: Money;
  try {
    amount = parseDecimalAmount(amountText, currency);
  } catch (error) {
    if (!(error instanceof DecimalAmountError)) throw error;
    const reasons = {
      'unknown-currency': `"${currency}" is not an ISO 4217 currency code`,
      'not-a-decimal': `"${input.amount}" is not a decimal number such as "10.00"`,
      'too-many-decimals': `${currency} allows at most ${exponent} decimal places`,
      'too-large': 'is too large',
      'not-exact': `"${input.amount}" is not a decimal number such as "10.00"`,
    } satisfies Record<DecimalAmountError['refusal'], string>;
    throw fail.badInput(`${field}.amount`, reasons[error.refusal]);
  }
  if (!isPositive(amount)) throw fail.badInput(`${field}.amount`, 'must be greater than zero');
  if (amount.minor > MAX_MINOR_UNITS) throw fail.badInput(`${field}.amount`, 'is too large (beyond 64-bit minor units)');
  return amount;
}

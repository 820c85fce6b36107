import { formatAmount, parseDecimalAmount, type Money } from '../../../../lib/money.js';

/** Alipay's amounts are yuan with at most two decimals, written as text ("88.88"). */
export const ALIPAY_CURRENCY = 'CNY';

/** An amount as Alipay's yuan text: 100.50 CNY → "100.50". */
export function toYuan(amount: Money): string {
  if (amount.currency !== ALIPAY_CURRENCY) throw new Error(`Alipay amounts are ${ALIPAY_CURRENCY}, not ${amount.currency}`);
  return formatAmount(amount);
}

/**
 * Alipay's yuan text as an exact CNY amount (no floats): "100.5" → 100.50, "-35.80" → -35.80 (bills
 * write refunds negative). Throws on anything else, naming the value.
 */
export function fromYuan(text: string): Money {
  try {
    return parseDecimalAmount(text.trim(), ALIPAY_CURRENCY);
  } catch {
    throw new Error(`"${text}" is not an amount in yuan`);
  }
}

import { formatAmount, money, parseMoneyInput } from '../../../../lib/money.js';

/** Alipay's amounts are yuan with at most two decimals, written as text ("88.88"). */
export const ALIPAY_CURRENCY = 'CNY';

/** Minor units (fen) as Alipay's yuan text: 10050n → "100.50". */
export function toYuan(fen: bigint): string {
  return formatAmount(money(fen, ALIPAY_CURRENCY));
}

/**
 * Alipay's yuan text as fen, exactly (no floats): "100.5" → 10050n, "-35.80" → -3580n (bills write
 * refunds negative). Throws on anything else, naming the value.
 */
export function fromYuan(text: string): bigint {
  const match = /^(-?)(\d{1,13}(?:\.\d{1,2})?)$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not an amount in yuan`);
  const [, sign, digits = ''] = match;
  if (/^0+(\.0+)?$/.test(digits)) return 0n;
  const fen = parseMoneyInput({ amount: digits, currency: ALIPAY_CURRENCY }, 'amount').minor;
  return sign === '-' ? -fen : fen;
}

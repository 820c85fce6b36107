import { formatAmount, isPositive, parseDecimalAmount, type Money } from '../../lib/money.js';

/** Alipay's clock and money: times as "yyyy-MM-dd HH:mm:ss" in UTC+8, amounts as yuan text. */
const OFFSET_MS = 8 * 3_600_000;

export function chinaTime(date: Date): string {
  return new Date(date.getTime() + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

export function chinaDate(date: Date): string {
  return chinaTime(date).slice(0, 10);
}

export function parseChinaTime(text: unknown): Date | null {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return null;
  const date = new Date(Date.parse(`${text.replace(' ', 'T')}+08:00`));
  return Number.isNaN(date.getTime()) ? null : date;
}

export function yuan(fen: bigint): string {
  return formatAmount({ minor: fen, currency: 'CNY' });
}

/** "88.8" → 8880n; null unless a positive amount of at most two decimals within Alipay's limit. */
export function parseYuan(text: unknown): bigint | null {
  if (typeof text !== 'string') return null;
  let amount: Money;
  try {
    amount = parseDecimalAmount(text, 'CNY');
  } catch {
    return null;
  }
  return isPositive(amount) && amount.minor <= 10_000_000_000n ? amount.minor : null;
}

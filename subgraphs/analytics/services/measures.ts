import { decimalRatio, divideEvenly, formatAmount, money, ratioOf, type Money } from '../../../lib/money.js';

export const measures = [
  'GMV',
  'PAYMENT_COUNT',
  'SUCCEEDED_COUNT',
  'FAILED_COUNT',
  'SUCCESS_RATE',
  'REFUNDED_AMOUNT',
  'REFUND_RATE',
  'FEE_REVENUE',
  'AVERAGE_TICKET',
] as const;
export type Measure = (typeof measures)[number];

/** Amounts of one currency, or ratios of two: a row of them is always about one currency. */
const perCurrency = new Set<Measure>(['GMV', 'REFUNDED_AMOUNT', 'REFUND_RATE', 'FEE_REVENUE', 'AVERAGE_TICKET']);

export function needsCurrency(measure: Measure): boolean {
  return perCurrency.has(measure);
}

/** A group's counts and sums (minor units of its one currency when it has one), from which every measure follows. */
export interface GroupSums {
  payments: number;
  succeeded: number;
  failed: number;
  captured: bigint;
  refunded: bigint;
  fee: bigint;
}

export const RATE_SCALE = 6;

/** n / d (0 ≤ n ≤ d, d > 0) with exactly RATE_SCALE decimals, rounded half up: "0.333333", "1.000000". */
export function ratio(n: bigint, d: bigint): string {
  return decimalRatio(n, d, RATE_SCALE);
}

/**
 * A measure's value in a group as an exact decimal string, or null when it is undefined there: a rate
 * or an average whose denominator is zero (no succeeded or failed payment, no GMV, no succeeded
 * payment) has no value, and the row leaves it out rather than show a zero that would mean something else.
 */
export function measureValue(measure: Measure, sums: GroupSums, currency: string | null): string | null {
  const inCurrency = (minor: bigint): Money => {
    if (currency === null) throw new Error(`${measure} needs a currency`);
    return money(minor, currency);
  };
  const amount = (minor: bigint) => formatAmount(inCurrency(minor));
  switch (measure) {
    case 'GMV':
      return amount(sums.captured);
    case 'PAYMENT_COUNT':
      return String(sums.payments);
    case 'SUCCEEDED_COUNT':
      return String(sums.succeeded);
    case 'FAILED_COUNT':
      return String(sums.failed);
    case 'SUCCESS_RATE': {
      const decided = BigInt(sums.succeeded + sums.failed);
      return decided === 0n ? null : ratio(BigInt(sums.succeeded), decided);
    }
    case 'REFUNDED_AMOUNT':
      return amount(sums.refunded);
    case 'REFUND_RATE':
      return sums.captured === 0n ? null : ratioOf(inCurrency(sums.refunded), inCurrency(sums.captured), RATE_SCALE);
    case 'FEE_REVENUE':
      return amount(sums.fee);
    case 'AVERAGE_TICKET':
      return sums.succeeded === 0 ? null : formatAmount(divideEvenly(inCurrency(sums.captured), sums.succeeded));
  }
}

import { z } from 'zod';
import { add, basisPointsOf, DecimalAmountError, isNegative, isPositive, min, parseDecimalAmount, zero, type Money } from '../../../lib/money.js';

/** Per channel: a rate in basis points of the captured amount, plus a fixed part per currency. */
export type FeeSchedule = Record<string, { bps: number; fixed: Record<string, Money> }>;

export const DEFAULT_FEES = '{"CARD":{"bps":290,"fixed":{"USD":"0.30","EUR":"0.25"}},"ALIPAY":{"bps":250,"fixed":{}},"WECHAT_PAY":{"bps":250,"fixed":{}}}';

const scheduleShape = z.record(
  z.string().regex(/^[A-Z_]+$/, 'channel names are upper case, e.g. CARD'),
  z.strictObject({
    bps: z.number().int().min(0).max(10_000),
    fixed: z.record(z.string(), z.string()).default({}),
  }),
);

/**
 * Parses the FEES setting: JSON such as DEFAULT_FEES, fixed parts written as decimal amounts of their
 * currency ("0.30" USD). Throws an Error naming the faulty part.
 */
export function parseFeeSchedule(json: string): FeeSchedule {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('is not JSON');
  }
  const parsed = scheduleShape.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const schedule: FeeSchedule = {};
  for (const [channel, { bps, fixed }] of Object.entries(parsed.data)) {
    const parts: Record<string, Money> = {};
    for (const [currency, amount] of Object.entries(fixed)) parts[currency] = parseFixedPart(`${channel}.fixed.${currency}`, currency, amount);
    schedule[channel] = { bps, fixed: parts };
  }
  return schedule;
}

function parseFixedPart(field: string, currency: string, amount: string): Money {
  let part: Money;
  try {
    part = parseDecimalAmount(amount.trim(), currency);
  } catch (error) {
    if (!(error instanceof DecimalAmountError)) throw error;
    throw new Error(error.refusal === 'unknown-currency' ? `${field}: "${currency}" is not an ISO 4217 currency code` : `${field}: "${amount}" is not an amount of ${currency}`);
  }
  if (isNegative(part)) throw new Error(`${field}: must not be negative`);
  return part;
}

/**
 * The fee of a capture, in minor units: round_half_up(amount × bps / 10 000) + the channel's fixed
 * part in that currency, at most the amount. Half up is the one rounding rule: a remainder of exactly
 * half a minor unit or more rounds up (all amounts are positive, so this is also half away from zero).
 * A channel missing from the schedule charges no fee; a currency without a fixed part adds none.
 */
export function computeFee(schedule: FeeSchedule, channel: string, amount: Money): Money {
  const rate = schedule[channel];
  if (!rate || !isPositive(amount)) return zero(amount.currency);
  const fee = add(basisPointsOf(amount, rate.bps), rate.fixed[amount.currency] ?? zero(amount.currency));
  return min(fee, amount);
}

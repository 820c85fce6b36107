import { z } from 'zod';
import { currencyExponent, parseMoneyInput } from '../../../lib/money.js';

/** Per channel: a rate in basis points of the captured amount, plus a fixed part per currency (minor units). */
export type FeeSchedule = Record<string, { bps: number; fixed: Record<string, bigint> }>;

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
    const parts: Record<string, bigint> = {};
    for (const [currency, amount] of Object.entries(fixed)) parts[currency] = parseFixedPart(`${channel}.fixed.${currency}`, currency, amount);
    schedule[channel] = { bps, fixed: parts };
  }
  return schedule;
}

function parseFixedPart(field: string, currency: string, amount: string): bigint {
  if (currencyExponent(currency) !== undefined && /^0+(\.0+)?$/.test(amount.trim())) return 0n;
  return parseMoneyInput({ amount, currency }, field).minor;
}

/**
 * The fee of a capture, in minor units: round_half_up(amount × bps / 10 000) + the channel's fixed
 * part in that currency, at most the amount. Half up is the one rounding rule: a remainder of exactly
 * half a minor unit or more rounds up (all amounts are positive, so this is also half away from zero).
 * A channel missing from the schedule charges no fee; a currency without a fixed part adds none.
 */
export function computeFee(schedule: FeeSchedule, channel: string, currency: string, amount: bigint): bigint {
  const rate = schedule[channel];
  if (!rate || amount <= 0n) return 0n;
  const proportional = (amount * BigInt(rate.bps) + 5_000n) / 10_000n;
  const fee = proportional + (rate.fixed[currency] ?? 0n);
  return fee > amount ? amount : fee;
}

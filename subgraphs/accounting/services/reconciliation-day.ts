import { fail } from '../../../lib/errors.js';
import type { ReconciledChannel } from '../entities/ReconciliationReport.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Where each provider cuts its days: Alipay and WeChat Pay at midnight in China (UTC+8, no DST), the card acquirer at midnight UTC. */
const utcOffsetMs: Record<ReconciledChannel, number> = { CARD: 0, ALIPAY: 8 * HOUR, WECHAT_PAY: 8 * HOUR };

/** One provider day, as the half-open interval [start, end) of instants. */
export interface ProviderDay {
  channel: ReconciledChannel;
  date: string;
  start: Date;
  end: Date;
}

/** The provider's calendar day (YYYY-MM-DD) of an instant. */
export function providerDate(channel: ReconciledChannel, at: Date): string {
  return new Date(at.getTime() + utcOffsetMs[channel]).toISOString().slice(0, 10);
}

/** The day `date` names in the provider's time zone; BAD_USER_INPUT unless a real day that has begun there. */
export function providerDay(channel: ReconciledChannel, date: string, now: Date): ProviderDay {
  const midnightUtc = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00.000Z`) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to March: a real day reads back the same
  if (Number.isNaN(midnightUtc) || new Date(midnightUtc).toISOString().slice(0, 10) !== date) {
    throw fail.badInput('input.date', `"${date}" is not a day written YYYY-MM-DD`);
  }
  const today = providerDate(channel, now);
  if (date > today) throw fail.badInput('input.date', `${date} has not begun yet for ${channel} (it is ${today} there)`);
  const start = new Date(midnightUtc - utcOffsetMs[channel]);
  return { channel, date, start, end: new Date(start.getTime() + DAY) };
}

import type { MerchantProfile, Region } from './merchants.js';
import { Random, Weighted } from './random.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Payments in each local hour of the day, relative: quiet at night, a lunch peak and a larger evening one. */
const hourOfDay = [0.25, 0.15, 0.1, 0.08, 0.08, 0.12, 0.25, 0.45, 0.65, 0.8, 0.9, 1.0, 1.05, 1.0, 0.95, 0.95, 1.0, 1.05, 1.1, 1.2, 1.25, 1.1, 0.8, 0.45];
/** by local day of the week, Sunday first: busier towards the weekend */
const dayOfWeek = [0.9, 0.95, 0.97, 1.0, 1.02, 1.1, 1.15];

/** Shopping days of each region: Singles' Day and 618 in China, Black Friday and Cyber Monday in the west, quiet Christmas. */
function specialDay(region: Region, local: Date): number {
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();
  if (region.name === 'china') return month === 11 && day === 11 ? 3 : month === 11 && day === 10 ? 1.4 : month === 6 && day === 18 ? 1.8 : 1;
  if (region.name === 'japan') return 1;
  // Thanksgiving is the fourth Thursday of November; Black Friday the day after, Cyber Monday three days later.
  const year = local.getUTCFullYear();
  const thanksgiving = 22 + ((4 - new Date(Date.UTC(year, 10, 1)).getUTCDay() + 7) % 7);
  const today = Date.UTC(year, month - 1, day);
  if (today === Date.UTC(year, 10, thanksgiving + 1)) return 2.4;
  if (today === Date.UTC(year, 10, thanksgiving + 4)) return 1.8;
  return month === 12 && day === 25 ? 0.5 : month === 12 && day === 24 ? 0.8 : 1;
}

/** One hour of the data set: when it starts, how many payments are created in it, and from which region each comes. */
export interface PlannedHour {
  start: number;
  payments: number;
  regions: Weighted<Region>;
}

/**
 * Spreads `payments` over the hours of [start, end): each region's merchants sell by their own clock
 * (time of day, day of week, shopping days), the platform grows over the period (0.8 to 1.2), and each
 * day of each region varies a little. Counts are rounded so that they add up to `payments` exactly.
 */
export function planHours(random: Random, merchants: MerchantProfile[], start: Date, end: Date, payments: number): PlannedHour[] {
  const regionSize = new Map<Region, number>();
  for (const merchant of merchants) regionSize.set(merchant.region, (regionSize.get(merchant.region) ?? 0) + merchant.size);
  const active = [...regionSize.keys()];
  const dayNoise = new Map<string, number>();
  const hours: { start: number; weights: number[] }[] = [];
  const span = end.getTime() - start.getTime();
  for (let t = start.getTime(); t < end.getTime(); t += HOUR_MS) {
    const trend = 0.8 + (0.4 * (t - start.getTime())) / span;
    const weights = active.map((region) => {
      const local = new Date(t + region.utcOffsetHours * HOUR_MS);
      const dayKey = `${region.name}:${Math.floor(local.getTime() / DAY_MS)}`;
      if (!dayNoise.has(dayKey)) dayNoise.set(dayKey, random.logNormal(1, 0.08));
      return regionSize.get(region)! * trend * hourOfDay[local.getUTCHours()]! * dayOfWeek[local.getUTCDay()]! * specialDay(region, local) * dayNoise.get(dayKey)!;
    });
    hours.push({ start: t, weights });
  }
  const total = hours.reduce((sum, h) => sum + h.weights.reduce((a, b) => a + b, 0), 0);
  const exact = hours.map((h) => (payments * h.weights.reduce((a, b) => a + b, 0)) / total);
  const counts = exact.map(Math.floor);
  let missing = payments - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (missing-- <= 0) break;
    counts[index]! += 1;
  }
  return hours.map((h, i) => ({ start: h.start, payments: counts[i]!, regions: new Weighted(active, h.weights) }));
}

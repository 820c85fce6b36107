import { describe, expect, it } from 'vitest';
import { planHours } from './calendar.js';
import { generateMerchants } from './merchants.js';
import { Random } from './random.js';

const start = new Date('2026-10-01T00:00:00.000Z');
const end = new Date('2026-12-01T00:00:00.000Z');

function plan(seed: number, payments: number) {
  const random = new Random(seed);
  const merchants = generateMerchants(random, 60, start);
  return { merchants, hours: planHours(random, merchants, start, end, payments) };
}

describe('planHours', () => {
  it('has every hour of the period and exactly the payments asked for', () => {
    const { hours } = plan(1, 123_457);
    expect(hours).toHaveLength((end.getTime() - start.getTime()) / 3_600_000);
    expect(hours[0]!.start).toBe(start.getTime());
    expect(hours.reduce((sum, h) => sum + h.payments, 0)).toBe(123_457);
  });

  it('is the same for the same seed', () => {
    expect(plan(7, 50_000).hours.map((h) => h.payments)).toEqual(plan(7, 50_000).hours.map((h) => h.payments));
    expect(plan(7, 50_000).hours.map((h) => h.payments)).not.toEqual(plan(8, 50_000).hours.map((h) => h.payments));
  });

  it('grows over the period and follows the shopping days', () => {
    const { hours } = plan(3, 200_000);
    const day = (iso: string) => hours.filter((h) => new Date(h.start).toISOString().startsWith(iso)).reduce((sum, h) => sum + h.payments, 0);
    const week = (from: number) => hours.slice(from * 24, (from + 7) * 24).reduce((sum, h) => sum + h.payments, 0);
    expect(week(50)).toBeGreaterThan(week(0) * 1.1);
    // Singles' Day in China (busier in UTC on the 10th evening and the 11th), Black Friday in the west (27 November 2026)
    expect(day('2026-11-11')).toBeGreaterThan(1.3 * day('2026-11-04'));
    expect(day('2026-11-27')).toBeGreaterThan(1.3 * day('2026-11-20'));
  });
});

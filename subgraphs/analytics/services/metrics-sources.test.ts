import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../lib/principal.js';
import { planMetrics, type MetricsQueryInput } from './metrics-query.js';
import { metricsSources, usesDailyRollup } from './metrics-sources.js';

const admin: Principal = { role: 'ADMIN', merchantId: null, keyId: null };
const platformAnalyst: Principal = { role: 'ANALYST', merchantId: null, keyId: 'key_p' };
const merchantKey: Principal = { role: 'MERCHANT', merchantId: 'mer_a', keyId: 'key_m' };
const boundAnalyst: Principal = { role: 'ANALYST', merchantId: 'mer_a', keyId: 'key_b' };

const at = (iso: string) => new Date(iso);
const interval = (from: string, to: string) => ({ from: at(from), to: at(to) });

const query = (fields: Partial<MetricsQueryInput> = {}): MetricsQueryInput => ({
  measures: ['PAYMENT_COUNT'],
  granularity: 'DAY',
  from: at('2026-11-01T09:30:00Z'),
  to: at('2026-11-04T17:45:00Z'),
  ...fields,
});

describe('usesDailyRollup', () => {
  it('for every merchant together, in buckets of a day or more or none', () => {
    for (const principal of [admin, platformAnalyst]) {
      for (const granularity of [null, 'DAY', 'WEEK', 'MONTH'] as const) {
        expect(usesDailyRollup(planMetrics(principal, query({ granularity, dimensions: ['CHANNEL', 'CURRENCY', 'STATUS'] })))).toBe(true);
      }
    }
  });

  it('not with the MERCHANT dimension, a merchant filter, a merchant-bound key or HOUR buckets', () => {
    expect(usesDailyRollup(planMetrics(admin, query({ dimensions: ['MERCHANT'] })))).toBe(false);
    expect(usesDailyRollup(planMetrics(admin, query({ filter: { merchantIds: ['mer_b'] } })))).toBe(false);
    expect(usesDailyRollup(planMetrics(merchantKey, query()))).toBe(false);
    expect(usesDailyRollup(planMetrics(boundAnalyst, query()))).toBe(false);
    expect(usesDailyRollup(planMetrics(admin, query({ granularity: 'HOUR' })))).toBe(false);
  });

  it('an empty merchant filter restricts nothing', () => {
    expect(usesDailyRollup(planMetrics(platformAnalyst, query({ filter: { merchantIds: [] } })))).toBe(true);
  });
});

describe('metricsSources', () => {
  it('reads whole days from the daily rollup, the hours around them from the hourly rollup, the partial hours from the facts', () => {
    expect(metricsSources(planMetrics(admin, query()))).toEqual({
      daily: interval('2026-11-02T00:00:00Z', '2026-11-04T00:00:00Z'),
      hourly: [interval('2026-11-01T10:00:00Z', '2026-11-02T00:00:00Z'), interval('2026-11-04T00:00:00Z', '2026-11-04T17:00:00Z')],
      facts: [interval('2026-11-01T09:30:00Z', '2026-11-01T10:00:00Z'), interval('2026-11-04T17:00:00Z', '2026-11-04T17:45:00Z')],
    });
  });

  it('reads a range of whole days from the daily rollup alone', () => {
    expect(metricsSources(planMetrics(admin, query({ from: at('2026-08-01T00:00:00Z'), to: at('2026-11-01T00:00:00Z') })))).toEqual({
      daily: interval('2026-08-01T00:00:00Z', '2026-11-01T00:00:00Z'),
      hourly: [],
      facts: [],
    });
  });

  it('reads the same range per merchant from the hourly rollup and the facts', () => {
    for (const plan of [planMetrics(merchantKey, query()), planMetrics(admin, query({ dimensions: ['MERCHANT'] }))]) {
      expect(metricsSources(plan)).toEqual({
        daily: null,
        hourly: [interval('2026-11-01T10:00:00Z', '2026-11-04T17:00:00Z')],
        facts: [interval('2026-11-01T09:30:00Z', '2026-11-01T10:00:00Z'), interval('2026-11-04T17:00:00Z', '2026-11-04T17:45:00Z')],
      });
    }
  });

  it('reads hours without a whole day between them from the hourly rollup', () => {
    expect(metricsSources(planMetrics(admin, query({ from: at('2026-11-01T09:00:00Z'), to: at('2026-11-02T08:00:00Z') })))).toEqual({
      daily: null,
      hourly: [interval('2026-11-01T09:00:00Z', '2026-11-02T08:00:00Z')],
      facts: [],
    });
  });

  it('reads a range within two hours from the facts, split at the hour', () => {
    expect(metricsSources(planMetrics(admin, query({ from: at('2026-11-01T09:30:00Z'), to: at('2026-11-01T10:15:00Z') })))).toEqual({
      daily: null,
      hourly: [],
      facts: [interval('2026-11-01T09:30:00Z', '2026-11-01T10:00:00Z'), interval('2026-11-01T10:00:00Z', '2026-11-01T10:15:00Z')],
    });
    expect(metricsSources(planMetrics(admin, query({ from: at('2026-11-01T09:30:00Z'), to: at('2026-11-01T09:31:00Z') })))).toEqual({
      daily: null,
      hourly: [],
      facts: [interval('2026-11-01T09:30:00Z', '2026-11-01T09:31:00Z')],
    });
  });

  it('covers the range exactly once, whatever its ends', () => {
    const hour = 3_600_000;
    const base = at('2026-11-01T00:00:00Z').getTime();
    for (let i = 0; i < 500; i++) {
      // ends on and off midnights and hours, a minute to ten days apart
      const from = base + ((i * 7919) % (5 * 24)) * hour + (i % 3 === 0 ? 0 : ((i * 104_729) % hour));
      const to = from + 60_000 + ((i * 15_485_863) % (10 * 24 * hour));
      const sources = metricsSources(planMetrics(admin, query({ from: new Date(from), to: new Date(to) })));
      const parts = [...(sources.daily ? [sources.daily] : []), ...sources.hourly, ...sources.facts].sort((a, b) => a.from.getTime() - b.from.getTime());
      expect(parts[0]!.from.getTime()).toBe(from);
      expect(parts.at(-1)!.to.getTime()).toBe(to);
      for (let p = 1; p < parts.length; p++) expect(parts[p]!.from).toEqual(parts[p - 1]!.to);
      for (const part of sources.facts) expect(Math.floor(part.from.getTime() / hour)).toBe(Math.floor((part.to.getTime() - 1) / hour));
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../lib/principal.js';
import { planMetrics, type MetricsQueryInput } from './metrics-query.js';

const admin: Principal = { role: 'ADMIN', merchantId: null, keyId: null };
const platformAnalyst: Principal = { role: 'ANALYST', merchantId: null, keyId: 'key_p' };
const merchantKey: Principal = { role: 'MERCHANT', merchantId: 'mer_a', keyId: 'key_m' };
const boundAnalyst: Principal = { role: 'ANALYST', merchantId: 'mer_a', keyId: 'key_b' };

const query = (fields: Partial<MetricsQueryInput> = {}): MetricsQueryInput => ({
  measures: ['PAYMENT_COUNT'],
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-11-02T00:00:00Z'),
  ...fields,
});

function refusal(principal: Principal, input: MetricsQueryInput) {
  try {
    planMetrics(principal, input);
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  throw new Error('not refused');
}

describe('planMetrics: input', () => {
  it.each([
    ['no measure', query({ measures: [] }), 'query.measures'],
    ['to before from', query({ from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') }), 'query.to'],
    ['an empty range', query({ to: new Date('2026-11-01T00:00:00Z') }), 'query.to'],
    ['an unknown currency', query({ filter: { currencies: ['USD', 'XYZ'] } }), 'query.filter.currencies'],
    ['a lower-case currency', query({ filter: { currencies: ['usd'] } }), 'query.filter.currencies'],
    ['HOUR over more than 31 days', query({ granularity: 'HOUR', to: new Date('2026-12-02T00:00:00.001Z') }), 'query.granularity'],
  ])('refuses %s as BAD_USER_INPUT naming the field', (_name, input, field) => {
    const { code, message } = refusal(admin, input);
    expect(code).toBe('BAD_USER_INPUT');
    expect(message).toContain(field);
  });

  it('takes HOUR over exactly 31 days, and any range in coarser buckets', () => {
    expect(planMetrics(admin, query({ granularity: 'HOUR', to: new Date('2026-12-02T00:00:00Z') })).granularity).toBe('HOUR');
    expect(planMetrics(admin, query({ granularity: 'DAY', to: new Date('2036-11-01T00:00:00Z') })).granularity).toBe('DAY');
  });

  it('keeps measures in the order asked, once each', () => {
    expect(planMetrics(admin, query({ measures: ['GMV', 'PAYMENT_COUNT', 'GMV'] })).measures).toEqual(['GMV', 'PAYMENT_COUNT']);
  });

  it('groups by currency whenever an amount or a ratio of amounts is measured', () => {
    const counts = planMetrics(admin, query({ measures: ['PAYMENT_COUNT', 'SUCCESS_RATE'], dimensions: ['CHANNEL'] }));
    expect(counts.groupBy).toEqual({ CHANNEL: true, MERCHANT: false, CURRENCY: false, STATUS: false });
    for (const measure of ['GMV', 'REFUNDED_AMOUNT', 'REFUND_RATE', 'FEE_REVENUE', 'AVERAGE_TICKET'] as const) {
      expect(planMetrics(admin, query({ measures: ['PAYMENT_COUNT', measure] })).groupBy.CURRENCY).toBe(true);
    }
  });

  it('reads empty filter lists as no filter', () => {
    expect(planMetrics(admin, query({ filter: { merchantIds: [], channels: [], currencies: [] } }))).toMatchObject({
      merchantIds: null,
      channels: null,
      currencies: null,
    });
  });
});

describe('planMetrics: who sees which merchants', () => {
  it.each([
    ['ADMIN', admin],
    ['a platform-wide ANALYST', platformAnalyst],
  ])('%s sees every merchant, or those it names', (_name, principal) => {
    expect(planMetrics(principal, query()).merchantIds).toBeNull();
    expect(planMetrics(principal, query({ filter: { merchantIds: ['mer_b', 'mer_c'] } })).merchantIds).toEqual(['mer_b', 'mer_c']);
  });

  it.each([
    ['a MERCHANT key', merchantKey],
    ['a merchant-bound ANALYST', boundAnalyst],
  ])('%s sees only its merchant, whatever it names', (_name, principal) => {
    expect(planMetrics(principal, query()).merchantIds).toEqual(['mer_a']);
    expect(planMetrics(principal, query({ filter: { merchantIds: ['mer_a', 'mer_b'] } })).merchantIds).toEqual(['mer_a']);
    expect(planMetrics(principal, query({ filter: { merchantIds: ['mer_b'] } })).merchantIds).toEqual([]);
  });
});

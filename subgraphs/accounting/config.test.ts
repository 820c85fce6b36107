import { describe, expect, it } from 'vitest';
import { money } from '../../lib/money.js';
import { loadAccountingConfig } from './config.js';

const base = { NODE_ENV: 'test', INTERNAL_SECRET: 'x'.repeat(32) };

describe('loadAccountingConfig', () => {
  it('has the documented defaults', () => {
    const config = loadAccountingConfig(base);
    expect(config).toMatchObject({ port: 4002, host: '127.0.0.1', settlementDelayMs: 86_400_000, settlementIntervalMs: 60_000, eventRetentionMs: 604_800_000, paymentSubgraphUrl: 'http://127.0.0.1:4001' });
    expect(config.fees['CARD']).toEqual({ bps: 290, fixed: { USD: money(30n, 'USD'), EUR: money(25n, 'EUR') } });
    expect(config.fees['WECHAT_PAY']).toEqual({ bps: 250, fixed: {} });
  });

  it('reads durations and fees', () => {
    const config = loadAccountingConfig({ ...base, SETTLEMENT_DELAY: '2h', SETTLEMENT_INTERVAL: '5s', FEES: '{"CARD":{"bps":100,"fixed":{"JPY":"10"}}}' });
    expect(config).toMatchObject({ settlementDelayMs: 7_200_000, settlementIntervalMs: 5_000, fees: { CARD: { bps: 100, fixed: { JPY: money(10n, 'JPY') } } } });
  });

  it.each([
    ['FEES', { FEES: '{"CARD":{"bps":"290"}}' }],
    ['SETTLEMENT_DELAY', { SETTLEMENT_DELAY: 'one day' }],
    ['SETTLEMENT_INTERVAL', { SETTLEMENT_INTERVAL: '0' }],
    ['ACCOUNTING_PORT', { ACCOUNTING_PORT: '70000' }],
    ['PAYMENT_SUBGRAPH_URL', { PAYMENT_SUBGRAPH_URL: 'payment:4001' }],
    ['PAYMENT_SUBGRAPH_URL', { PAYMENT_SUBGRAPH_URL: 'ftp://127.0.0.1:4001' }],
  ])('stops with a message naming %s', (name, env) => {
    expect(() => loadAccountingConfig({ ...base, ...env })).toThrow(new RegExp(`accounting subgraph: invalid configuration\\n  ${name}`));
  });

  it('requires INTERNAL_SECRET in production, and refuses one a person made up', () => {
    expect(() => loadAccountingConfig({ NODE_ENV: 'production' })).toThrow(/INTERNAL_SECRET: is required/);
    for (const made of ['x'.repeat(32), 'secret'.repeat(6)]) {
      expect(() => loadAccountingConfig({ NODE_ENV: 'production', INTERNAL_SECRET: made })).toThrow(/INTERNAL_SECRET: is too predictable for production/);
    }
  });
});

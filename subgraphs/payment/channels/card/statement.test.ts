import { describe, expect, it } from 'vitest';
import { money } from '../../../../lib/money.js';
import { contentDigest, renderSettlementReport, type SettlementRow } from '../../../../simulators/card/settlement-report.js';
import { parseSettlementReport } from './statement.js';

const at = new Date('2026-11-22T03:19:58.120Z');
const capture: SettlementRow = {
  type: 'capture', authorizationId: 'auth_1', reference: 'pay_1', refundId: '', refundReference: '',
  currency: 'USD', amount: 10_000n, status: 'succeeded', occurredAt: at,
};
const refund: SettlementRow = { ...capture, type: 'refund', refundId: 're_1', refundReference: 'ref_1', amount: 2_500n };

function report(rows: SettlementRow[], date = '2026-11-22') {
  const body = renderSettlementReport(date, rows);
  return { body, digest: contentDigest(body) };
}

describe('parseSettlementReport', () => {
  it('reads captures and refunds into statement lines, amounts in minor units of each currency', () => {
    const yen: SettlementRow = { ...capture, authorizationId: 'auth_2', reference: 'pay_2', currency: 'JPY', amount: 1234n, status: 'failed' };
    const { body, digest } = report([capture, refund, yen]);
    expect(parseSettlementReport(body, digest, '2026-11-22')).toEqual([
      { kind: 'PAYMENT', providerReference: 'auth_1', paymentId: 'pay_1', refundId: null, amount: money(10_000n, 'USD'), status: 'SUCCEEDED', occurredAt: at },
      { kind: 'REFUND', providerReference: 'auth_1', paymentId: 'pay_1', refundId: 'ref_1', amount: money(2_500n, 'USD'), status: 'SUCCEEDED', occurredAt: at },
      { kind: 'PAYMENT', providerReference: 'auth_2', paymentId: 'pay_2', refundId: null, amount: money(1234n, 'JPY'), status: 'FAILED', occurredAt: at },
    ]);
  });

  it('reads an empty day, and quoted values with commas, quotes and line breaks', () => {
    expect(parseSettlementReport(report([]).body, report([]).digest, '2026-11-22')).toEqual([]);
    const odd = { ...capture, reference: 'order "7", second\r\nline' };
    const { body, digest } = report([odd]);
    expect(parseSettlementReport(body, digest, '2026-11-22')[0]?.paymentId).toBe('order "7", second\r\nline');
  });

  it('refuses a body that does not match its Content-Digest, or comes without one', () => {
    const { body, digest } = report([capture]);
    const altered = body.replace('100.00', '100.01');
    expect(() => parseSettlementReport(altered, digest, '2026-11-22')).toThrow(/Content-Digest/);
    expect(() => parseSettlementReport(body, undefined, '2026-11-22')).toThrow(/Content-Digest/);
  });

  it.each([
    ['another day', (body: string) => body, '2026-11-21', /not the one of 2026-11-21/],
    ['a row removed', (body: string) => body.replace(/^refund,.*\r\n/m, ''), '2026-11-22', /says 2 rows and has 1/],
    ['other columns', (body: string) => body.replace('refund_reference,', 'refund_ref,'), '2026-11-22', /unexpected columns/],
    ['more decimals than the currency has', (body: string) => body.replace('25.00', '25.000'), '2026-11-22', /not an amount of USD/],
    ['an unknown status', (body: string) => body.replace(/succeeded/, 'settled'), '2026-11-22', /unknown type "capture" or status "settled"/],
  ])('refuses a consistent report with %s', (_name, change, date, message) => {
    const body = change(report([capture, refund]).body);
    expect(() => parseSettlementReport(body, contentDigest(body), date)).toThrow(message);
  });
});

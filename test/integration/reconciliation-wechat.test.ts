import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { settled } from '../support/accounting.js';
import { eventually } from '../support/eventually.js';
import { errorCode, getPayment, payerAction, paymentTable, refund, selectRows } from '../support/payments.js';
import { reconcile, reconciliationReport, runReconciliation } from '../support/reconciliation.js';
import { startSystem, type System } from '../support/system.js';
import { chinaToday, clearWechatBill, corruptWechatBill, tamperWechatBill, wechatPaymentAwaitingPayer } from '../support/wechat.js';
import { expectNoErrors } from '../support/graphql.js';

let system: System;
let key: string;
let day: string;
/** 100.00 CNY refunded 10.00 and 0.50, 0.01 CNY, 2345.67 CNY */
const paid: Record<string, { id: string; transactionId: string }> = {};
const refundIds: string[] = [];

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant('Reconciled by WeChat Pay')).apiKey;
  day = chinaToday();
  for (const amount of ['100.00', '0.01', '2345.67']) {
    const payment = await wechatPaymentAwaitingPayer(system, key, amount);
    await payerAction(system, key, payment.id, 'APPROVE');
    const [row] = await selectRows(system, `select provider_reference from ${paymentTable(system, 'payments')} where id = ?`, [payment.id]);
    paid[amount] = { id: payment.id, transactionId: row!['provider_reference'] as string };
  }
  for (const amount of ['10.00', '0.50']) {
    const result = await refund(system, key, paid['100.00']!.id, { amount, currency: 'CNY' });
    refundIds.push(expectNoErrors(result).refundPayment.id);
  }
  // WeChat Pay refunds asynchronously: its callback makes them SUCCEEDED
  await eventually(() => getPayment(system, key, paid['100.00']!.id), (payment) => payment.refunds.length === 2 && payment.refunds.every((r: { status: string }) => r.status === 'SUCCEEDED'));
  await settled(system);
});
afterAll(async () => system?.stop());
afterEach(async () => clearWechatBill(system, day));

const reportId = () => `rcn_wechat_pay_${day.replace(/-/g, '')}`;

describe("WeChat Pay reconciliation against the trade bill (China's day)", () => {
  it('finds nothing wrong on a clean day: three payments and two refunds matched', async () => {
    const report = await reconcile(system, 'WECHAT_PAY', day);
    expect(report).toEqual({ id: reportId(), channel: 'WECHAT_PAY', date: day, matched: 5, discrepancies: [] });
    expect((await reconciliationReport(system, system.adminKey, reportId())).data?.reconciliationReport).toEqual(report);
  });

  it('gives the same report when run again', async () => {
    await corruptWechatBill(system, day, { kind: 'DROP', reference: paid['0.01']!.id });
    await corruptWechatBill(system, day, { kind: 'CHANGE_AMOUNT', reference: refundIds[0]! });
    const first = await reconcile(system, 'WECHAT_PAY', day);
    expect(first.discrepancies.map((d: any) => d.type).sort()).toEqual(['AMOUNT_MISMATCH', 'MISSING_PROVIDER']);
    expect(await reconcile(system, 'WECHAT_PAY', day)).toEqual(first);
  });

  it('a payment the bill does not list is MISSING_PROVIDER', async () => {
    await corruptWechatBill(system, day, { kind: 'DROP', reference: paid['2345.67']!.id });
    const report = await reconcile(system, 'WECHAT_PAY', day);
    expect(report.matched).toBe(4);
    expect(report.discrepancies).toEqual([
      {
        type: 'MISSING_PROVIDER', paymentId: paid['2345.67']!.id, providerReference: paid['2345.67']!.transactionId,
        expected: { amount: '2345.67', currency: 'CNY', minorUnits: '234567' }, actual: null, detail: expect.stringContaining('does not list it'),
      },
    ]);
  });

  it('a trade nobody made is MISSING_INTERNAL', async () => {
    await corruptWechatBill(system, day, { kind: 'ADD', amount: 250 });
    const report = await reconcile(system, 'WECHAT_PAY', day);
    expect(report.matched).toBe(5);
    expect(report.discrepancies).toMatchObject([{ type: 'MISSING_INTERNAL', expected: null, actual: { amount: '2.50', currency: 'CNY' } }]);
  });

  it('a refund of another amount is AMOUNT_MISMATCH', async () => {
    await corruptWechatBill(system, day, { kind: 'CHANGE_AMOUNT', reference: refundIds[1]!, amount: 49 });
    const report = await reconcile(system, 'WECHAT_PAY', day);
    expect(report.matched).toBe(4);
    expect(report.discrepancies).toMatchObject([
      { type: 'AMOUNT_MISMATCH', paymentId: paid['100.00']!.id, providerReference: paid['100.00']!.transactionId, expected: { amount: '0.50' }, actual: { amount: '0.49' } },
    ]);
  });

  it('a paid trade listed as revoked is STATUS_MISMATCH', async () => {
    await corruptWechatBill(system, day, { kind: 'CHANGE_STATUS', reference: paid['0.01']!.id });
    const report = await reconcile(system, 'WECHAT_PAY', day);
    expect(report.matched).toBe(4);
    expect(report.discrepancies).toMatchObject([{ type: 'STATUS_MISMATCH', paymentId: paid['0.01']!.id, expected: { amount: '0.01' }, actual: { amount: '0.01' } }]);
    expect(report.discrepancies[0]?.detail).toContain('as CLOSED; it is SUCCEEDED in our records');
  });

  it('a refund listed twice is one DUPLICATE', async () => {
    await corruptWechatBill(system, day, { kind: 'DUPLICATE', reference: refundIds[0]! });
    const report = await reconcile(system, 'WECHAT_PAY', day);
    expect(report.matched).toBe(5);
    expect(report.discrepancies).toMatchObject([{ type: 'DUPLICATE', paymentId: paid['100.00']!.id, actual: { amount: '10.00', currency: 'CNY' } }]);
  });

  it('a bill that does not match its SHA1 is refused: INVALID_STATE, the stored report unchanged', async () => {
    const before = (await reconciliationReport(system, system.adminKey, reportId())).data?.reconciliationReport;
    await tamperWechatBill(system, day);
    const result = await runReconciliation(system, system.adminKey, 'WECHAT_PAY', day);
    expect(errorCode(result)).toBe('INVALID_STATE');
    expect(result.errors?.[0]?.extensions?.['providerError']).toMatch(/^PROVIDER_/);
    expect((await reconciliationReport(system, system.adminKey, reportId())).data?.reconciliationReport).toEqual(before);
  });
});

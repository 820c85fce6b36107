import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { settled } from '../support/accounting.js';
import { alipayPaymentAwaitingPayer, chinaToday, clearBillCorruptions, corruptBill } from '../support/alipay.js';
import { payerAction, paymentTable, refund, selectRows } from '../support/payments.js';
import { reconcile, reconciliationReport } from '../support/reconciliation.js';
import { startSystem, type System } from '../support/system.js';

let system: System;
let key: string;
let day: string;
/** 100.00 CNY refunded 10.00 and 0.50, 0.01 CNY, 2345.67 CNY; and 9.99 CNY declined by the payer */
const paid: Record<string, { id: string; tradeNo: string }> = {};
let declined: { id: string; tradeNo: string };
const refundIds: string[] = [];

async function tradeNoOf(paymentId: string): Promise<string> {
  const [row] = await selectRows(system, `select provider_reference from ${paymentTable(system, 'payments')} where id = ?`, [paymentId]);
  return row!['provider_reference'] as string;
}

async function paidByPayer(amount: string, outcome: 'APPROVE' | 'DECLINE' = 'APPROVE') {
  const payment = await alipayPaymentAwaitingPayer(system, key, amount);
  const result = await payerAction(system, key, payment.id, outcome);
  if (result.data?.sandboxPayerAction.status !== (outcome === 'APPROVE' ? 'SUCCEEDED' : 'FAILED')) throw new Error(JSON.stringify(result));
  return { id: payment.id, tradeNo: await tradeNoOf(payment.id) };
}

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant('Reconciled by Alipay')).apiKey;
  day = chinaToday();
  for (const amount of ['100.00', '0.01', '2345.67']) paid[amount] = await paidByPayer(amount);
  for (const amount of ['10.00', '0.50']) {
    const result = await refund(system, key, paid['100.00']!.id, { amount, currency: 'CNY' });
    if (result.data?.refundPayment.status !== 'SUCCEEDED') throw new Error(JSON.stringify(result));
    refundIds.push(result.data.refundPayment.id);
  }
  declined = await paidByPayer('9.99', 'DECLINE');
  await settled(system);
});
afterAll(async () => system?.stop());
afterEach(async () => clearBillCorruptions(system));

const reportId = () => `rcn_alipay_${day.replace(/-/g, '')}`;

describe("Alipay reconciliation against the daily trade bill (China's day)", () => {
  it('finds nothing wrong on a clean day: three payments and two refunds matched, the declined trade not expected', async () => {
    const report = await reconcile(system, 'ALIPAY', day);
    expect(report).toEqual({ id: reportId(), channel: 'ALIPAY', date: day, matched: 5, discrepancies: [] });
    expect((await reconciliationReport(system, system.adminKey, reportId())).data?.reconciliationReport).toEqual(report);
  });

  it('gives the same report when run again', async () => {
    await corruptBill(system, day, 'AMOUNT', { outTradeNo: paid['0.01']!.id });
    await corruptBill(system, day, 'DROP', { outTradeNo: paid['2345.67']!.id });
    await corruptBill(system, day, 'ADD');
    const first = await reconcile(system, 'ALIPAY', day);
    expect(first.discrepancies.map((d: any) => d.type).sort()).toEqual(['AMOUNT_MISMATCH', 'MISSING_INTERNAL', 'MISSING_PROVIDER']);
    expect(await reconcile(system, 'ALIPAY', day)).toEqual(first);
  });

  it('a paid trade the bill does not list is MISSING_PROVIDER', async () => {
    await corruptBill(system, day, 'DROP', { outTradeNo: paid['2345.67']!.id });
    const report = await reconcile(system, 'ALIPAY', day);
    expect(report.matched).toBe(4);
    expect(report.discrepancies).toEqual([
      {
        type: 'MISSING_PROVIDER', paymentId: paid['2345.67']!.id, providerReference: paid['2345.67']!.tradeNo,
        expected: { amount: '2345.67', currency: 'CNY', minorUnits: '234567' }, actual: null,
        detail: `Our payment ${paid['2345.67']!.id} (provider reference ${paid['2345.67']!.tradeNo}) of 2345.67 CNY succeeded on ${day}; ALIPAY's statement of ${day} does not list it.`,
      },
    ]);
  });

  it('a trade nobody made is MISSING_INTERNAL', async () => {
    await corruptBill(system, day, 'ADD');
    const report = await reconcile(system, 'ALIPAY', day);
    expect(report.matched).toBe(5);
    expect(report.discrepancies).toMatchObject([
      { type: 'MISSING_INTERNAL', paymentId: expect.stringMatching(/^pay_unknown_/), expected: null, actual: { amount: '1.00', currency: 'CNY' } },
    ]);
  });

  it('a refund one fen off is AMOUNT_MISMATCH', async () => {
    await corruptBill(system, day, 'AMOUNT', { outTradeNo: paid['100.00']!.id, outRequestNo: refundIds[1]! });
    const report = await reconcile(system, 'ALIPAY', day);
    expect(report.matched).toBe(4);
    expect(report.discrepancies).toMatchObject([
      { type: 'AMOUNT_MISMATCH', paymentId: paid['100.00']!.id, providerReference: paid['100.00']!.tradeNo, expected: { amount: '0.50' }, actual: { amount: '0.51' } },
    ]);
    expect(report.discrepancies[0]?.detail).toContain(`refund ${refundIds[1]} of payment ${paid['100.00']!.id}`);
  });

  it('the declined trade listed as paid is STATUS_MISMATCH, not a trade unknown to us', async () => {
    await corruptBill(system, day, 'STATUS', { outTradeNo: declined.id });
    const report = await reconcile(system, 'ALIPAY', day);
    expect(report.matched).toBe(5);
    expect(report.discrepancies).toEqual([
      {
        type: 'STATUS_MISMATCH', paymentId: declined.id, providerReference: declined.tradeNo,
        expected: { amount: '9.99', currency: 'CNY', minorUnits: '999' }, actual: { amount: '9.99', currency: 'CNY', minorUnits: '999' },
        detail: `ALIPAY's statement of ${day} lists payment ${declined.id} (provider reference ${declined.tradeNo}) as SUCCEEDED; it is FAILED in our records.`,
      },
    ]);
  });

  it('a refund listed twice is one DUPLICATE', async () => {
    await corruptBill(system, day, 'DUPLICATE', { outTradeNo: paid['100.00']!.id, outRequestNo: refundIds[0]! });
    const report = await reconcile(system, 'ALIPAY', day);
    expect(report.matched).toBe(5);
    expect(report.discrepancies).toMatchObject([{ type: 'DUPLICATE', paymentId: paid['100.00']!.id, actual: { amount: '10.00', currency: 'CNY' } }]);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { money } from '../../lib/money.js';
import { startSystem, type System } from '../support/system.js';
import { payerAction, paymentTable, refund, selectRows } from '../support/payments.js';
import { alipayPaymentAwaitingPayer, chinaToday, clearBillCorruptions, corruptBill } from '../support/alipay.js';
import type { StatementLine } from '../../subgraphs/payment/channels/channel.js';

let system: System;
let key: string;
/** what was paid and refunded in this file, as our own records say */
const expected: StatementLine[] = [];
let declinedPaymentId: string;
let days: string[];

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
  const firstDay = chinaToday();
  for (const amount of ['100.00', '0.01', '2345.67']) {
    const payment = await alipayPaymentAwaitingPayer(system, key, amount);
    await payerAction(system, key, payment.id, 'APPROVE');
  }
  const [withRefunds] = await payments();
  await refund(system, key, withRefunds!.id, { amount: '10.00', currency: 'CNY' });
  await refund(system, key, withRefunds!.id, { amount: '0.50', currency: 'CNY' });
  const declined = await alipayPaymentAwaitingPayer(system, key, '9.99');
  await payerAction(system, key, declined.id, 'DECLINE');
  declinedPaymentId = declined.id;
  // a run across midnight in China spans two bills
  days = [...new Set([firstDay, chinaToday()])];

  for (const payment of await payments()) {
    if (payment.status !== 'SUCCEEDED') continue;
    const line = { providerReference: payment.provider_reference, paymentId: payment.id, status: 'SUCCEEDED' as const };
    expected.push({ ...line, kind: 'PAYMENT', refundId: null, amount: money(BigInt(payment.amount_received), 'CNY'), occurredAt: expect.any(Date) });
    for (const row of await selectRows(system, `select id, amount from ${paymentTable(system, 'refunds')} where payment_id = ? and status = 'SUCCEEDED'`, [payment.id])) {
      expected.push({ ...line, kind: 'REFUND', refundId: row['id'] as string, amount: money(BigInt(row['amount'] as string), 'CNY'), occurredAt: expect.any(Date) });
    }
  }
});
afterAll(async () => system?.stop());
afterEach(async () => {
  await clearBillCorruptions(system);
});

async function payments(): Promise<Record<string, any>[]> {
  return selectRows(system, `select id, status, amount_received, provider_reference from ${paymentTable(system, 'payments')} order by created_at`);
}

async function statement(): Promise<StatementLine[]> {
  const lines: StatementLine[] = [];
  for (const day of days) lines.push(...(await system.payment.channels.ALIPAY!.fetchStatement(day)));
  return lines;
}

const byKey = (line: StatementLine) => `${line.kind}:${line.paymentId}:${line.refundId ?? ''}`;
const sorted = (lines: StatementLine[]) => [...lines].sort((a, b) => byKey(a).localeCompare(byKey(b)));

describe("Alipay's daily trade bill, downloaded and parsed by the connector", () => {
  it('lists exactly what was paid and refunded, with our ids, trade numbers and amounts in fen', async () => {
    expect(expected.filter((line) => line.kind === 'PAYMENT')).toHaveLength(3);
    expect(expected.filter((line) => line.kind === 'REFUND')).toHaveLength(2);
    expect(sorted(await statement())).toEqual(sorted(expected));
  });

  it('a dropped row is missing from the statement', async () => {
    const target = expected.find((line) => line.kind === 'PAYMENT')!;
    await corruptBill(system, days[0]!, 'DROP', { outTradeNo: target.paymentId });
    const lines = await statement();
    expect(lines).toHaveLength(expected.length - 1);
    expect(lines.find((line) => line.kind === 'PAYMENT' && line.paymentId === target.paymentId)).toBeUndefined();
  });

  it('an added row is a trade of ours that does not exist', async () => {
    await corruptBill(system, days[0]!, 'ADD');
    const extra = (await statement()).filter((line) => !expected.some((known) => byKey(known) === byKey(line)));
    expect(extra).toEqual([expect.objectContaining({ kind: 'PAYMENT', amount: money(100n, 'CNY'), status: 'SUCCEEDED', refundId: null })]);
  });

  it('a changed amount is one fen off', async () => {
    const target = expected.find((line) => line.kind === 'PAYMENT' && line.amount.minor === 234567n)!;
    await corruptBill(system, days[0]!, 'AMOUNT', { outTradeNo: target.paymentId });
    const changed = (await statement()).find((line) => line.kind === 'PAYMENT' && line.paymentId === target.paymentId);
    expect(changed?.amount.minor).toBe(234568n);
  });

  it('a duplicated row appears twice', async () => {
    const target = expected.find((line) => line.kind === 'REFUND')!;
    // the first refund row, of the trade that also has a payment row and another refund
    await corruptBill(system, days[0]!, 'DUPLICATE', { outTradeNo: target.paymentId, outRequestNo: target.refundId! });
    const lines = await statement();
    expect(lines).toHaveLength(expected.length + 1);
    expect(lines.filter((line) => byKey(line) === byKey(target))).toEqual([target, target]);
  });

  it('a changed status lists the declined (closed) trade as paid', async () => {
    await corruptBill(system, days[0]!, 'STATUS', { outTradeNo: declinedPaymentId });
    const listed = (await statement()).filter((line) => line.paymentId === declinedPaymentId);
    const [declined] = await selectRows(system, `select provider_reference from ${paymentTable(system, 'payments')} where id = ?`, [declinedPaymentId]);
    expect(listed).toEqual([expect.objectContaining({ kind: 'PAYMENT', status: 'SUCCEEDED', amount: money(999n, 'CNY'), providerReference: declined!['provider_reference'] })]);
  });

  it('a bill of a day to come is refused by Alipay', async () => {
    await expect(system.payment.channels.ALIPAY!.fetchStatement('2999-01-01')).rejects.toMatchObject({ code: 'PROVIDER_REJECTED' });
  });
});

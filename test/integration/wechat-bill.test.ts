import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { money } from '../../lib/money.js';
import { startSystem, type System } from '../support/system.js';
import { getPayment, payerAction, paymentTable, refund, selectRows } from '../support/payments.js';
import { eventually } from '../support/eventually.js';
import { chinaToday, clearWechatBill, corruptWechatBill, tamperWechatBill, wechatPaymentAwaitingPayer } from '../support/wechat.js';
import type { StatementLine } from '../../subgraphs/payment/channels/channel.js';

let system: System;
let key: string;
/** what was paid and refunded in this file, as our own records say */
const expected: StatementLine[] = [];
let days: string[];

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
  const firstDay = chinaToday();
  for (const amount of ['100.00', '0.01', '2345.67']) {
    const payment = await wechatPaymentAwaitingPayer(system, key, amount);
    await payerAction(system, key, payment.id, 'APPROVE');
  }
  const [withRefunds] = await payments();
  await refund(system, key, withRefunds!.id, { amount: '10.00', currency: 'CNY' });
  await refund(system, key, withRefunds!.id, { amount: '0.50', currency: 'CNY' });
  await eventually(() => getPayment(system, key, withRefunds!.id), (payment) => payment.refunds.every((r: { status: string }) => r.status === 'SUCCEEDED'));
  // a declined payment, known to the recovery job as FAILED: WeChat Pay's bill lists only what succeeded
  const declined = await wechatPaymentAwaitingPayer(system, key, '9.99');
  await payerAction(system, key, declined.id, 'DECLINE');
  system.clock.advance(2 * 60_000);
  await system.payment.runRecovery();
  expect((await getPayment(system, key, declined.id)).status).toBe('FAILED');
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
  for (const day of days) await clearWechatBill(system, day);
});

async function payments(): Promise<Record<string, any>[]> {
  return selectRows(system, `select id, status, amount_received, provider_reference from ${paymentTable(system, 'payments')} order by created_at`);
}

async function statement(): Promise<StatementLine[]> {
  const lines: StatementLine[] = [];
  for (const day of days) lines.push(...(await system.payment.channels.WECHAT_PAY!.fetchStatement(day)));
  return lines;
}

const byKey = (line: StatementLine) => `${line.kind}:${line.paymentId}:${line.refundId ?? ''}`;
const sorted = (lines: StatementLine[]) => [...lines].sort((a, b) => byKey(a).localeCompare(byKey(b)));

describe("WeChat Pay's trade bill, fetched with its SHA1, verified and parsed by the connector", () => {
  it('lists exactly what was paid and refunded, with our ids, transaction ids and amounts in fen', async () => {
    expect(expected.filter((line) => line.kind === 'PAYMENT')).toHaveLength(3);
    expect(expected.filter((line) => line.kind === 'REFUND')).toHaveLength(2);
    expect(expected.every((line) => /^4200\d{24}$/.test(line.providerReference))).toBe(true);
    expect(sorted(await statement())).toEqual(sorted(expected));
  });

  it('a dropped line is missing from the statement', async () => {
    const target = expected.find((line) => line.kind === 'PAYMENT')!;
    await corruptWechatBill(system, days[0]!, { kind: 'DROP', reference: target.paymentId });
    const lines = await statement();
    expect(lines).toHaveLength(expected.length - 1);
    expect(lines.find((line) => line.kind === 'PAYMENT' && line.paymentId === target.paymentId)).toBeUndefined();
  });

  it('an added line is a payment of ours that does not exist', async () => {
    await corruptWechatBill(system, days[0]!, { kind: 'ADD', amount: 100 });
    const extra = (await statement()).filter((line) => !expected.some((known) => byKey(known) === byKey(line)));
    expect(extra).toEqual([expect.objectContaining({ kind: 'PAYMENT', amount: money(100n, 'CNY'), status: 'SUCCEEDED', refundId: null })]);
  });

  it('a changed amount shows in the statement', async () => {
    const target = expected.find((line) => line.kind === 'PAYMENT' && line.amount.minor === 234567n)!;
    await corruptWechatBill(system, days[0]!, { kind: 'CHANGE_AMOUNT', reference: target.paymentId, amount: 234568 });
    const changed = (await statement()).find((line) => line.kind === 'PAYMENT' && line.paymentId === target.paymentId);
    expect(changed?.amount.minor).toBe(234568n);
  });

  it('a duplicated refund line appears twice', async () => {
    const target = expected.find((line) => line.kind === 'REFUND')!;
    await corruptWechatBill(system, days[0]!, { kind: 'DUPLICATE', reference: target.refundId! });
    const lines = await statement();
    expect(lines).toHaveLength(expected.length + 1);
    expect(lines.filter((line) => byKey(line) === byKey(target))).toEqual([target, target]);
  });

  it('a changed status: a paid payment listed as revoked (CLOSED), a refund as closed (FAILED)', async () => {
    const payment = expected.find((line) => line.kind === 'PAYMENT')!;
    const refunded = expected.find((line) => line.kind === 'REFUND')!;
    await corruptWechatBill(system, days[0]!, { kind: 'CHANGE_STATUS', reference: payment.paymentId });
    await corruptWechatBill(system, days[0]!, { kind: 'CHANGE_STATUS', reference: refunded.refundId! });
    const lines = await statement();
    expect(lines.find((line) => byKey(line) === byKey(payment))).toEqual({ ...payment, status: 'CLOSED' });
    expect(lines.find((line) => byKey(line) === byKey(refunded))).toEqual({ ...refunded, status: 'FAILED' });
  });

  it('a bill altered on its way no longer matches its SHA1 and is refused before it is read', async () => {
    await tamperWechatBill(system, days[0]!);
    await expect(statement()).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringMatching(/SHA1/) });
  });

  it('a day without trades has no bill and no lines; a day to come is refused by WeChat Pay', async () => {
    expect(await system.payment.channels.WECHAT_PAY!.fetchStatement('2020-01-01')).toEqual([]);
    await expect(system.payment.channels.WECHAT_PAY!.fetchStatement('2999-01-01')).rejects.toMatchObject({ code: 'PROVIDER_REJECTED' });
  });
});

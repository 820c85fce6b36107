import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { money } from '../../lib/money.js';
import type { StatementLine } from '../../subgraphs/payment/channels/channel.js';
import { chinaToday } from './alipay.js';
import { getPayment, payerAction, paymentTable, refund, selectRows } from './payments.js';
import { eventually } from './eventually.js';
import { startSystem, type System } from './system.js';
import type { WalletDriver } from './wallets.js';

/** What a bill test file paid and refunded through one wallet, as our own records say. */
export interface BillTrades {
  /** the statement lines the bill must answer */
  expected: StatementLine[];
  /** the days (in China) the trades fell on: a run across midnight spans two bills */
  days: string[];
  declinedPaymentId: string;
}

function payments(system: System): Promise<Record<string, any>[]> {
  return selectRows(system, `select id, status, amount_received, provider_reference from ${paymentTable(system, 'payments')} order by created_at`);
}

/** Three paid payments (100.00, 0.01, 2345.67 CNY), two refunds of the first (10.00, 0.50), settled, and a declined payment of 9.99. */
export async function makeBillTrades(system: System, apiKey: string, wallet: WalletDriver): Promise<BillTrades> {
  const firstDay = chinaToday();
  for (const amount of ['100.00', '0.01', '2345.67']) {
    const payment = await wallet.awaitingPayer(system, apiKey, amount);
    await payerAction(system, apiKey, payment.id, 'APPROVE');
  }
  const [withRefunds] = await payments(system);
  await refund(system, apiKey, withRefunds!.id, { amount: '10.00', currency: 'CNY' });
  await refund(system, apiKey, withRefunds!.id, { amount: '0.50', currency: 'CNY' });
  await eventually(() => getPayment(system, apiKey, withRefunds!.id), (payment) => payment.refunds.every((r) => r.status === 'SUCCEEDED'));
  const declined = await wallet.awaitingPayer(system, apiKey, '9.99');
  await payerAction(system, apiKey, declined.id, 'DECLINE');
  await wallet.settleDeclined(system, apiKey, declined.id);
  const days = [...new Set([firstDay, chinaToday()])];

  const expected: StatementLine[] = [];
  for (const payment of await payments(system)) {
    if (payment.status !== 'SUCCEEDED') continue;
    const line = { providerReference: payment.provider_reference, paymentId: payment.id, status: 'SUCCEEDED' as const };
    expected.push({ ...line, kind: 'PAYMENT', refundId: null, amount: money(BigInt(payment.amount_received), 'CNY'), occurredAt: expect.any(Date) });
    for (const row of await selectRows(system, `select id, amount from ${paymentTable(system, 'refunds')} where payment_id = ? and status = 'SUCCEEDED'`, [payment.id])) {
      expected.push({ ...line, kind: 'REFUND', refundId: row['id'] as string, amount: money(BigInt(row['amount'] as string), 'CNY'), occurredAt: expect.any(Date) });
    }
  }
  return { expected, days, declinedPaymentId: declined.id };
}

/** The connector's statement of every day of the trades. */
export async function statementOf(system: System, wallet: WalletDriver, days: string[]): Promise<StatementLine[]> {
  const lines: StatementLine[] = [];
  for (const day of days) lines.push(...(await wallet.fetchBill(system, day)));
  return lines;
}

export const lineKey = (line: StatementLine) => `${line.kind}:${line.paymentId}:${line.refundId ?? ''}`;
export const sortedLines = (lines: StatementLine[]) => [...lines].sort((a, b) => lineKey(a).localeCompare(lineKey(b)));

/** A system of the file's own (a bill lists every trade of it) with the trades made; each test's corruptions undone after it. Call at the top of a file or describe. */
export function billTradesForFile(wallet: WalletDriver): { readonly system: System; readonly trades: BillTrades } {
  let system: System | undefined;
  let trades: BillTrades | undefined;
  beforeAll(async () => {
    system = await startSystem();
    trades = await makeBillTrades(system, (await system.seedMerchant()).apiKey, wallet);
  });
  afterAll(async () => system?.stop());
  afterEach(async () => {
    if (system && trades) await wallet.clearBills(system, trades.days);
  });
  return {
    get system() {
      if (!system) throw new Error('the system starts in beforeAll');
      return system;
    },
    get trades() {
      if (!trades) throw new Error('the trades are made in beforeAll');
      return trades;
    },
  };
}

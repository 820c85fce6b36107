import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { money } from '../../lib/money.js';
import { startSystem, type System } from '../support/system.js';
import { corruptBill } from '../support/alipay.js';
import { makeBillTrades, statementOf, type BillTrades } from '../support/wallet-bills.js';
import { providerReferenceOf, WALLETS } from '../support/wallets.js';

// what every wallet's bill does is in wallet-bill.test.ts
const alipay = WALLETS.find((wallet) => wallet.channel === 'ALIPAY')!;
let system: System;
let trades: BillTrades;

beforeAll(async () => {
  system = await startSystem();
  trades = await makeBillTrades(system, (await system.seedMerchant()).apiKey, alipay);
});
afterAll(async () => system?.stop());
afterEach(async () => {
  await alipay.clearBills(system, trades.days);
});

describe("Alipay's daily trade bill, downloaded and parsed by the connector", () => {
  it('a changed status lists the declined (closed) trade as paid', async () => {
    await corruptBill(system, trades.days[0]!, 'STATUS', { outTradeNo: trades.declinedPaymentId });
    const listed = (await statementOf(system, alipay, trades.days)).filter((line) => line.paymentId === trades.declinedPaymentId);
    expect(listed).toEqual([
      expect.objectContaining({ kind: 'PAYMENT', status: 'SUCCEEDED', amount: money(999n, 'CNY'), providerReference: await providerReferenceOf(system, trades.declinedPaymentId) }),
    ]);
  });

  it('a bill of a day to come is refused by Alipay', async () => {
    await expect(alipay.fetchBill(system, '2999-01-01')).rejects.toMatchObject({ code: 'PROVIDER_REJECTED' });
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { corruptWechatBill, tamperWechatBill } from '../support/wechat.js';
import { lineKey, makeBillTrades, statementOf, type BillTrades } from '../support/wallet-bills.js';
import { WALLETS } from '../support/wallets.js';

// what every wallet's bill does is in wallet-bill.test.ts
const wechat = WALLETS.find((wallet) => wallet.channel === 'WECHAT_PAY')!;
let system: System;
let trades: BillTrades;

beforeAll(async () => {
  system = await startSystem();
  // the declined payment is known to the recovery job as FAILED: WeChat Pay's bill lists only what succeeded
  trades = await makeBillTrades(system, (await system.seedMerchant()).apiKey, wechat);
});
afterAll(async () => system?.stop());
afterEach(async () => {
  await wechat.clearBills(system, trades.days);
});

describe("WeChat Pay's trade bill, fetched with its SHA1, verified and parsed by the connector", () => {
  it('a changed status: a paid payment listed as revoked (CLOSED), a refund as closed (FAILED)', async () => {
    const payment = trades.expected.find((line) => line.kind === 'PAYMENT')!;
    const refunded = trades.expected.find((line) => line.kind === 'REFUND')!;
    await corruptWechatBill(system, trades.days[0]!, { kind: 'CHANGE_STATUS', reference: payment.paymentId });
    await corruptWechatBill(system, trades.days[0]!, { kind: 'CHANGE_STATUS', reference: refunded.refundId! });
    const lines = await statementOf(system, wechat, trades.days);
    expect(lines.find((line) => lineKey(line) === lineKey(payment))).toEqual({ ...payment, status: 'CLOSED' });
    expect(lines.find((line) => lineKey(line) === lineKey(refunded))).toEqual({ ...refunded, status: 'FAILED' });
  });

  it('a bill altered on its way no longer matches its SHA1 and is refused before it is read', async () => {
    await tamperWechatBill(system, trades.days[0]!);
    await expect(statementOf(system, wechat, trades.days)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringMatching(/SHA1/) });
  });

  it('a day without trades has no bill and no lines; a day to come is refused by WeChat Pay', async () => {
    expect(await wechat.fetchBill(system, '2020-01-01')).toEqual([]);
    await expect(wechat.fetchBill(system, '2999-01-01')).rejects.toMatchObject({ code: 'PROVIDER_REJECTED' });
  });
});

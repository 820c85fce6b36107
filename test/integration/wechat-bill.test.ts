import { describe, expect, it } from 'vitest';
import { corruptWechatBill, tamperWechatBill } from '../support/wechat.js';
import { lineKey, billTradesForFile, statementOf } from '../support/wallet-bills.js';
import { WALLETS } from '../support/wallets.js';

// what every wallet's bill does is in wallet-bill.test.ts
const wechat = WALLETS.find((wallet) => wallet.channel === 'WECHAT_PAY')!;
// the declined payment is known to the recovery job as FAILED: WeChat Pay's bill lists only what succeeded
const file = billTradesForFile(wechat);

describe("WeChat Pay's trade bill, fetched with its SHA1, verified and parsed by the connector", () => {
  it('a changed status: a paid payment listed as revoked (CLOSED), a refund as closed (FAILED)', async () => {
    const payment = file.trades.expected.find((line) => line.kind === 'PAYMENT')!;
    const refunded = file.trades.expected.find((line) => line.kind === 'REFUND')!;
    await corruptWechatBill(file.system, file.trades.days[0]!, { kind: 'CHANGE_STATUS', reference: payment.paymentId });
    await corruptWechatBill(file.system, file.trades.days[0]!, { kind: 'CHANGE_STATUS', reference: refunded.refundId! });
    const lines = await statementOf(file.system, wechat, file.trades.days);
    expect(lines.find((line) => lineKey(line) === lineKey(payment))).toEqual({ ...payment, status: 'CLOSED' });
    expect(lines.find((line) => lineKey(line) === lineKey(refunded))).toEqual({ ...refunded, status: 'FAILED' });
  });

  it('a bill altered on its way no longer matches its SHA1 and is refused before it is read', async () => {
    await tamperWechatBill(file.system, file.trades.days[0]!);
    await expect(statementOf(file.system, wechat, file.trades.days)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringMatching(/SHA1/) });
  });

  it('a day without trades has no bill and no lines; a day to come is refused by WeChat Pay', async () => {
    expect(await wechat.fetchBill(file.system, '2020-01-01')).toEqual([]);
    await expect(wechat.fetchBill(file.system, '2999-01-01')).rejects.toMatchObject({ code: 'PROVIDER_REJECTED' });
  });
});

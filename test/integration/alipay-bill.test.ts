import { describe, expect, it } from 'vitest';
import { money } from '../../lib/money.js';
import { corruptBill } from '../support/alipay.js';
import { billTradesForFile, statementOf } from '../support/wallet-bills.js';
import { providerReferenceOf, WALLETS } from '../support/wallets.js';

// what every wallet's bill does is in wallet-bill.test.ts
const alipay = WALLETS.find((wallet) => wallet.channel === 'ALIPAY')!;
const file = billTradesForFile(alipay);

describe("Alipay's daily trade bill, downloaded and parsed by the connector", () => {
  it('a changed status lists the declined (closed) trade as paid', async () => {
    await corruptBill(file.system, file.trades.days[0]!, 'STATUS', { outTradeNo: file.trades.declinedPaymentId });
    const listed = (await statementOf(file.system, alipay, file.trades.days)).filter((line) => line.paymentId === file.trades.declinedPaymentId);
    expect(listed).toEqual([
      expect.objectContaining({ kind: 'PAYMENT', status: 'SUCCEEDED', amount: money(999n, 'CNY'), providerReference: await providerReferenceOf(file.system, file.trades.declinedPaymentId) }),
    ]);
  });

  it('a bill of a day to come is refused by Alipay', async () => {
    await expect(alipay.fetchBill(file.system, '2999-01-01')).rejects.toMatchObject({ code: 'PROVIDER_REJECTED' });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { systemForFile } from '../support/file-system.js';
import { getPayment, refund } from '../support/payments.js';
import { eventually } from '../support/eventually.js';
import { alipayNotifications, setAlipayFaults } from '../support/alipay.js';
import { expectNoErrors } from '../support/graphql.js';
import { cny, paidWalletPayment, refundEvents as walletRefundEvents } from '../support/wallet-refunds.js';
import { WALLETS } from '../support/wallets.js';

const running = systemForFile();
afterEach(async () => {
  await setAlipayFaults(running.system, { loseNotifications: false, uncertainRefunds: false, lostRefundRequests: false });
});

// what every wallet's refunds do is in wallet-refunds.test.ts
const alipay = WALLETS.find((wallet) => wallet.channel === 'ALIPAY')!;
const paidAlipayPayment = (amount: string) => paidWalletPayment(running.system, running.key, alipay, amount);
const refundEvents = (paymentId: string, type: string) => walletRefundEvents(running.system, paymentId, type);

describe('Alipay refunds', () => {
  it('Alipay notifies each refund, the last one closing the trade; the notifications change nothing more', async () => {
    const payment = await paidAlipayPayment('100.00');
    const first = expectNoErrors(await refund(running.system, running.key, payment.id, cny('30.00'))).refundPayment;
    const second = expectNoErrors(await refund(running.system, running.key, payment.id, cny('20.00'))).refundPayment;
    const rest = expectNoErrors(await refund(running.system, running.key, payment.id)).refundPayment;

    await eventually(() => alipayNotifications(running.system, payment.id), (list) => list.filter((n) => n.delivered).length === 4);
    const notified = (await alipayNotifications(running.system, payment.id)).map((n) => new URLSearchParams(n.body));
    expect(notified.slice(1).map((fields) => [fields.get('trade_status'), fields.get('out_biz_no'), fields.get('refund_fee')])).toEqual([
      ['TRADE_SUCCESS', first.id, '30.00'],
      ['TRADE_SUCCESS', second.id, '50.00'],
      ['TRADE_CLOSED', rest.id, '100.00'],
    ]);
    expect(await refundEvents(payment.id, 'refund.succeeded')).toBe(3);
    expect((await getPayment(running.system, running.key, payment.id)).amountRefunded.amount).toBe('100.00');
  });

  it("an uncertain answer leaves the refund PENDING, its amount reserved, until Alipay's notification settles it", async () => {
    const payment = await paidAlipayPayment('60.00');
    await setAlipayFaults(running.system, { uncertainRefunds: true });
    const pending = expectNoErrors(await refund(running.system, running.key, payment.id, cny('25.00'))).refundPayment;
    // the notification may already have settled it; either way it is booked once
    expect(['PENDING', 'SUCCEEDED']).toContain(pending.status);
    expect(pending.payment.amountRefunded.amount).toBe('25.00');
    const settledRefund = await eventually(
      () => getPayment(running.system, running.key, payment.id),
      (current) => current.refunds[0]?.status === 'SUCCEEDED',
    );
    expect(settledRefund.amountRefunded.amount).toBe('25.00');
    expect(await refundEvents(payment.id, 'refund.succeeded')).toBe(1);
  });

  it('a refund request Alipay never saw is sent again with the same out_request_no when its query finds nothing', async () => {
    const payment = await paidAlipayPayment('50.00');
    await setAlipayFaults(running.system, { lostRefundRequests: true });
    const pending = expectNoErrors(await refund(running.system, running.key, payment.id, cny('10.00'))).refundPayment;
    expect(pending.status).toBe('PENDING');
    expect(await alipayNotifications(running.system, payment.id)).toHaveLength(1);

    await setAlipayFaults(running.system, { lostRefundRequests: false });
    running.system.clock.advance(2 * 60_000);
    expect((await running.system.payment.runRecovery()).refunds).toBe(1);
    expect((await getPayment(running.system, running.key, payment.id)).refunds).toMatchObject([{ id: pending.id, status: 'SUCCEEDED' }]);
    const refunded = await eventually(() => alipayNotifications(running.system, payment.id), (list) => list.length === 2);
    expect(new URLSearchParams(refunded[1]!.body).get('out_biz_no')).toBe(pending.id);
  });
});

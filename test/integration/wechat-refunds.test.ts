import { afterEach, describe, expect, it } from 'vitest';
import { systemForFile } from '../support/file-system.js';
import { countRows, getPayment, refund, uniqueKey } from '../support/payments.js';
import { eventually } from '../support/eventually.js';
import { loseWechatNotifications, wechatNotifications } from '../support/wechat.js';
import { expectNoErrors } from '../support/graphql.js';
import { cny, paidWalletPayment, refundEvents as walletRefundEvents } from '../support/wallet-refunds.js';
import { WALLETS } from '../support/wallets.js';

const running = systemForFile();
afterEach(async () => {
  await loseWechatNotifications(running.system, 0);
});

// what every wallet's refunds do is in wallet-refunds.test.ts
const wechat = WALLETS.find((wallet) => wallet.channel === 'WECHAT_PAY')!;
const paidWechatPayment = (amount: string) => paidWalletPayment(running.system, running.key, wechat, amount);
const refundEvents = (paymentId: string, type: string) => walletRefundEvents(running.system, paymentId, type);

/** The payment once every refund of it has left PENDING. */
function refundsSettled(paymentId: string): Promise<any> {
  return eventually(
    () => getPayment(running.system, running.key, paymentId),
    (payment) => payment.refunds.length > 0 && payment.refunds.every((r: { status: string }) => r.status !== 'PENDING'),
  );
}

describe('WeChat Pay refunds', () => {
  it('each refund is settled by its own REFUND.SUCCESS notification, acknowledged once', async () => {
    const payment = await paidWechatPayment('100.00');
    const first = expectNoErrors(await refund(running.system, running.key, payment.id, cny('30.00'))).refundPayment;
    const second = expectNoErrors(await refund(running.system, running.key, payment.id, cny('20.00'))).refundPayment;
    const rest = expectNoErrors(await refund(running.system, running.key, payment.id)).refundPayment;
    await refundsSettled(payment.id);
    // the subgraph commits before it answers: the simulator records the delivery once the answer reaches it
    const notified = await eventually(
      async () => (await wechatNotifications(running.system, payment.id)).filter((n) => n.eventType === 'REFUND.SUCCESS'),
      (list) => list.length === 3 && list.every((n) => n.delivered),
      { what: 'the three REFUND.SUCCESS notifications acknowledged' },
    );
    expect(notified.map((n) => n.outRefundNo).sort()).toEqual([first.id, second.id, rest.id].sort());
    expect(await refundEvents(payment.id, 'refund.succeeded')).toBe(3);
  });

  it('a refund repeated by its key is made once at WeChat Pay: one REFUND.SUCCESS notification', async () => {
    const payment = await paidWechatPayment('40.00');
    const idempotencyKey = uniqueKey('refund');
    const first = expectNoErrors(await refund(running.system, running.key, payment.id, cny('15.00'), idempotencyKey)).refundPayment;
    const again = expectNoErrors(await refund(running.system, running.key, payment.id, cny('15.00'), idempotencyKey)).refundPayment;
    expect(again.id).toBe(first.id);
    await refundsSettled(payment.id);
    expect((await wechatNotifications(running.system, payment.id)).filter((n) => n.eventType === 'REFUND.SUCCESS')).toHaveLength(1);
  });

  // 51 refunds through the gateway: slow on a loaded machine
  it('the 51st refund of a payment is rejected by WeChat Pay: FAILED with REFUND_REJECTED, its reservation released', { timeout: 180_000 }, async () => {
    const payment = await paidWechatPayment('1.00');
    for (let i = 0; i < 50; i++) {
      expect(expectNoErrors(await refund(running.system, running.key, payment.id, cny('0.01'))).refundPayment.amount.amount).toBe('0.01');
    }
    const rejected = expectNoErrors(await refund(running.system, running.key, payment.id, cny('0.01'))).refundPayment;
    expect(rejected.status).toBe('FAILED');
    expect(rejected.payment.amountRefunded.amount).toBe('0.50');
    const rows = await countRows(running.system, 'refunds', 'payment_id = ? and failure_code = ?', [payment.id, 'REFUND_REJECTED']);
    expect(rows).toBe(1);
    expect(await refundEvents(payment.id, 'refund.failed')).toBe(1);
    const settledPayment = await refundsSettled(payment.id);
    expect(settledPayment.refunds.filter((r: { status: string }) => r.status === 'SUCCEEDED')).toHaveLength(50);
  });
});

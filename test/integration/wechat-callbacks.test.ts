import { afterEach, describe, expect, it } from 'vitest';
import { systemForFile } from '../support/file-system.js';
import { countRows, getPayment, payerAction, paymentTable, refund, selectRows, writtenRows } from '../support/payments.js';
import { ledgerOf, settled } from '../support/accounting.js';
import { eventually } from '../support/eventually.js';
import {
  loseWechatNotifications,
  postWechatNotification,
  sealWechatNotification,
  signWechatNotification,
  wechatNotifications,
  wechatPaymentAwaitingPayer,
  type SignedNotification,
} from '../support/wechat.js';
import { attackerKey } from '../support/keys.js';
import { expectNoErrors } from '../support/graphql.js';

const running = systemForFile();
afterEach(async () => {
  await loseWechatNotifications(running.system, 0);
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A payment the payer has paid, whose genuine notification body the simulator made but did not send. */
async function paidWithHeldNotification(amount = '88.00'): Promise<{ paymentId: string; body: string }> {
  const payment = await wechatPaymentAwaitingPayer(running.system, running.key, amount);
  await loseWechatNotifications(running.system, 1);
  await payerAction(running.system, running.key, payment.id, 'APPROVE');
  const [notification] = await wechatNotifications(running.system, payment.id);
  expect(notification).toMatchObject({ eventType: 'TRANSACTION.SUCCESS', lost: true });
  return { paymentId: payment.id, body: notification!.body };
}

async function refusedWithNothingWritten(paymentId: string, notification: SignedNotification): Promise<void> {
  const before = await writtenRows(running.system);
  const answer = await postWechatNotification(running.system, notification);
  expect(answer.status).toBe(401);
  expect(JSON.parse(answer.text)).toEqual({ code: 'FAIL', message: expect.any(String) });
  expect(await writtenRows(running.system)).toEqual(before);
  expect((await getPayment(running.system, running.key, paymentId)).status).toBe('REQUIRES_ACTION');
}

/** The paid transaction as WeChat Pay describes it, for notifications made by the tests. */
function transaction(paymentId: string, change: Record<string, unknown> = {}) {
  const { appid, mchid } = running.system.wechatPayKeys;
  return {
    eventType: 'TRANSACTION.SUCCESS' as const,
    originalType: 'transaction' as const,
    summary: '支付成功',
    resource: {
      appid, mchid, out_trade_no: paymentId, transaction_id: '4200000000202601010000000001', trade_type: 'NATIVE', trade_state: 'SUCCESS',
      trade_state_desc: '支付成功', success_time: '2026-01-01T10:00:00+08:00', amount: { total: 8800, currency: 'CNY' }, ...change,
    },
  };
}

describe('WeChat Pay notifications at POST /callbacks/wechat_pay (through the gateway)', () => {
  it('an unsigned notification is refused with 401 {code: FAIL} and writes nothing', async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    await refusedWithNothingWritten(paymentId, { body, headers: {} });
    const withoutSignature = signWechatNotification(running.system, body);
    delete withoutSignature.headers['Wechatpay-Signature'];
    await refusedWithNothingWritten(paymentId, withoutSignature);
  });

  it("a forged notification (signed with another key, or under another serial) is refused and writes nothing", async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    await refusedWithNothingWritten(paymentId, signWechatNotification(running.system, body, { privateKey: attackerKey() }));
    await refusedWithNothingWritten(paymentId, signWechatNotification(running.system, body, { serial: 'PUB_KEY_ID_0000000000000000000000000000000000' }));
  });

  it('a tampered notification (the body changed after signing) is refused and writes nothing', async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    const genuine = signWechatNotification(running.system, body);
    const parsed = JSON.parse(body);
    const ciphertext: string = parsed.resource.ciphertext;
    const flipped = `${ciphertext[0] === 'A' ? 'B' : 'A'}${ciphertext.slice(1)}`;
    for (const tampered of [
      body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" '),
      JSON.stringify({ ...parsed, resource: { ...parsed.resource, ciphertext: flipped } }),
    ]) {
      await refusedWithNothingWritten(paymentId, { body: tampered, headers: genuine.headers });
    }
  });

  it("a notification signed by WeChat Pay whose resource does not open with our APIv3 key, or is another merchant's, is refused", async () => {
    const { paymentId } = await paidWithHeldNotification();
    const otherKey = sealWechatNotification(running.system, transaction(paymentId), 'fedcba9876543210fedcba9876543210');
    await refusedWithNothingWritten(paymentId, signWechatNotification(running.system, otherKey));
    const otherMerchant = sealWechatNotification(running.system, transaction(paymentId, { mchid: '1900009999' }));
    await refusedWithNothingWritten(paymentId, signWechatNotification(running.system, otherMerchant));
  });

  it('a stale notification (signed more than 5 minutes ago, or ahead) is refused and writes nothing', async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    await refusedWithNothingWritten(paymentId, signWechatNotification(running.system, body, { timestamp: nowSeconds() - 6 * 60 }));
    await refusedWithNothingWritten(paymentId, signWechatNotification(running.system, body, { timestamp: nowSeconds() + 6 * 60 }));
  });

  it('concurrent duplicates of a genuine notification are all acknowledged, as WeChat Pay asks, and book the payment once', async () => {
    const { paymentId, body } = await paidWithHeldNotification('66.60');
    const delivery = signWechatNotification(running.system, body);
    const answers = await Promise.all(Array.from({ length: 6 }, () => postWechatNotification(running.system, delivery)));
    expect(answers).toEqual(Array.from({ length: 6 }, () => ({ status: 204, text: '' })));
    expect((await getPayment(running.system, running.key, paymentId)).status).toBe('SUCCEEDED');
    const changes = await selectRows(running.system, `select payload from ${paymentTable(running.system, 'outbox')} where aggregate_id = ? and type = 'payment.status_changed'`, [paymentId]);
    const statuses = changes.map((row) => (typeof row['payload'] === 'string' ? JSON.parse(row['payload']) : row['payload']).status);
    expect(statuses.filter((status) => status === 'SUCCEEDED')).toHaveLength(1);
    await settled(running.system);
    expect((await ledgerOf(running.system, running.key, paymentId)).ledgerEntries).toHaveLength(3);
  });

  it('a genuine notification delivered again after it was applied (a retry, signed anew) is acknowledged and writes nothing', async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    expect(await postWechatNotification(running.system, signWechatNotification(running.system, body))).toEqual({ status: 204, text: '' });
    expect((await getPayment(running.system, running.key, paymentId)).status).toBe('SUCCEEDED');
    const before = await writtenRows(running.system);
    expect(await postWechatNotification(running.system, signWechatNotification(running.system, body))).toEqual({ status: 204, text: '' });
    expect(await writtenRows(running.system)).toEqual(before);
  });

  it('a genuine notification that arrives after the recovery job found the payment paid changes nothing', async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    running.system.clock.advance(2 * 60_000);
    await running.system.payment.runRecovery();
    expect((await getPayment(running.system, running.key, paymentId)).status).toBe('SUCCEEDED');
    const events = await countRows(running.system, 'outbox', 'aggregate_id = ?', [paymentId]);
    expect(await postWechatNotification(running.system, signWechatNotification(running.system, body))).toEqual({ status: 204, text: '' });
    expect(await countRows(running.system, 'outbox', 'aggregate_id = ?', [paymentId])).toBe(events);
  });

  it("a refund's REFUND.SUCCESS: forged, refused with nothing written; genuine duplicates, the refund SUCCEEDED once", async () => {
    const payment = await wechatPaymentAwaitingPayer(running.system, running.key, '50.00');
    await payerAction(running.system, running.key, payment.id, 'APPROVE');
    await loseWechatNotifications(running.system, 1);
    const pending = expectNoErrors(await refund(running.system, running.key, payment.id, { amount: '20.00', currency: 'CNY' })).refundPayment;
    expect(pending.status).toBe('PENDING');
    const held = await eventually(
      async () => (await wechatNotifications(running.system, payment.id)).find((n) => n.eventType === 'REFUND.SUCCESS'),
      (found) => found !== undefined,
    );
    expect(held).toMatchObject({ outRefundNo: pending.id, lost: true });

    const before = await writtenRows(running.system);
    const forged = await postWechatNotification(running.system, signWechatNotification(running.system, held!.body, { privateKey: attackerKey() }));
    expect(forged.status).toBe(401);
    expect(await writtenRows(running.system)).toEqual(before);
    expect((await getPayment(running.system, running.key, payment.id)).refunds).toMatchObject([{ id: pending.id, status: 'PENDING' }]);

    const delivery = signWechatNotification(running.system, held!.body);
    const answers = await Promise.all(Array.from({ length: 4 }, () => postWechatNotification(running.system, delivery)));
    expect(answers.map((answer) => answer.status)).toEqual([204, 204, 204, 204]);
    expect((await getPayment(running.system, running.key, payment.id)).refunds).toMatchObject([{ id: pending.id, status: 'SUCCEEDED' }]);
    expect(await countRows(running.system, 'outbox', 'aggregate_id = ? and type = ?', [payment.id, 'refund.succeeded'])).toBe(1);
  });
});

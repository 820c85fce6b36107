import { afterEach, describe, expect, it } from 'vitest';
import { systemForFile } from '../support/file-system.js';
import { countRows, getPayment, payerAction, paymentTable, selectRows, writtenRows } from '../support/payments.js';
import { ledgerOf, settled } from '../support/accounting.js';
import {
  alipayNotifications,
  alipayPaymentAwaitingPayer,
  fieldsOf,
  postAlipayNotification,
  setAlipayFaults,
  signedNotification,
} from '../support/alipay.js';
import { attackerKey } from '../support/keys.js';

const running = systemForFile();
afterEach(async () => {
  await setAlipayFaults(running.system, { loseNotifications: false });
});

/** A payment the payer has paid, whose genuine signed notification the simulator kept instead of sending. */
async function paidWithHeldNotification(amount = '88.00'): Promise<{ paymentId: string; body: string }> {
  const payment = await alipayPaymentAwaitingPayer(running.system, running.key, amount);
  await setAlipayFaults(running.system, { loseNotifications: true });
  await payerAction(running.system, running.key, payment.id, 'APPROVE');
  await setAlipayFaults(running.system, { loseNotifications: false });
  const [notification] = await alipayNotifications(running.system, payment.id);
  return { paymentId: payment.id, body: notification!.body };
}

async function refusedWithNothingWritten(paymentId: string, body: string): Promise<void> {
  const before = await writtenRows(running.system);
  const version = await countRows(running.system, 'payments', 'id = ? and status = ?', [paymentId, 'REQUIRES_ACTION']);
  expect(await postAlipayNotification(running.system, body)).toEqual({ status: 400, text: 'fail' });
  expect(await writtenRows(running.system)).toEqual(before);
  expect(await countRows(running.system, 'payments', 'id = ? and status = ?', [paymentId, 'REQUIRES_ACTION'])).toBe(version);
  expect((await getPayment(running.system, running.key, paymentId)).status).toBe('REQUIRES_ACTION');
}

describe('Alipay notifications at POST /callbacks/alipay', () => {
  it('an unsigned notification is refused and writes nothing', async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    await refusedWithNothingWritten(paymentId, new URLSearchParams(fieldsOf(body)).toString());
    const withoutSign = new URLSearchParams(body);
    withoutSign.delete('sign');
    await refusedWithNothingWritten(paymentId, withoutSign.toString());
  });

  it('a forged notification (signed with another key) is refused and writes nothing', async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    await refusedWithNothingWritten(paymentId, signedNotification(fieldsOf(body), attackerKey()));
  });

  it('a tampered notification (a field changed after signing) is refused and writes nothing', async () => {
    const { paymentId, body } = await paidWithHeldNotification('88.00');
    for (const [field, value] of [['total_amount', '0.01'], ['trade_status', 'TRADE_FINISHED'], ['notify_id', 'another']] as const) {
      const tampered = new URLSearchParams(body);
      tampered.set(field, value);
      await refusedWithNothingWritten(paymentId, tampered.toString());
    }
    // a field added after signing is tampering too
    await refusedWithNothingWritten(paymentId, `${body}&refund_fee=88.00`);
  });

  it("a notification signed by Alipay for another app, or with RSA instead of RSA2, is refused", async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    await refusedWithNothingWritten(paymentId, signedNotification({ ...fieldsOf(body), app_id: '2021000000009999' }, running.system.alipayPrivateKey));
    const downgraded = new URLSearchParams(body);
    downgraded.set('sign_type', 'RSA');
    await refusedWithNothingWritten(paymentId, downgraded.toString());
  });

  it('a stale notification (sent more than 25 hours ago) is refused and writes nothing', async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    const yesterday = new Date(Date.now() - 26 * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    await refusedWithNothingWritten(paymentId, signedNotification({ ...fieldsOf(body), notify_time: yesterday }, running.system.alipayPrivateKey));
  });

  it('concurrent duplicates of a genuine notification: one is accepted, the payment is booked once', async () => {
    const { paymentId, body } = await paidWithHeldNotification('66.60');
    const answers = await Promise.all(Array.from({ length: 6 }, () => postAlipayNotification(running.system, body)));
    expect(answers.filter((answer) => answer.text === 'success')).toHaveLength(1);
    expect(answers.filter((answer) => answer.text === 'fail')).toHaveLength(5);
    expect((await getPayment(running.system, running.key, paymentId)).status).toBe('SUCCEEDED');
    const changes = await selectRows(running.system, `select payload from ${paymentTable(running.system, 'outbox')} where aggregate_id = ? and type = 'payment.status_changed'`, [paymentId]);
    const statuses = changes.map((row) => (typeof row['payload'] === 'string' ? JSON.parse(row['payload']) : row['payload']).status);
    expect(statuses.filter((status) => status === 'SUCCEEDED')).toHaveLength(1);
    expect(await countRows(running.system, 'provider_notifications', 'payment_id = ?', [paymentId])).toBe(1);
    await settled(running.system);
    expect((await ledgerOf(running.system, running.key, paymentId)).ledgerEntries).toHaveLength(3);
  });

  it('a genuine notification replayed after it was accepted is refused and writes nothing', async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    expect(await postAlipayNotification(running.system, body)).toEqual({ status: 200, text: 'success' });
    expect((await getPayment(running.system, running.key, paymentId)).status).toBe('SUCCEEDED');
    const before = await writtenRows(running.system);
    expect(await postAlipayNotification(running.system, body)).toEqual({ status: 400, text: 'fail' });
    expect(await writtenRows(running.system)).toEqual(before);
  });

  it('a genuine notification that arrives after the payment moved on is accepted and changes nothing', async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    // the recovery job found the payment paid first
    running.system.clock.advance(2 * 60_000);
    await running.system.payment.runRecovery();
    expect((await getPayment(running.system, running.key, paymentId)).status).toBe('SUCCEEDED');
    const events = await countRows(running.system, 'outbox', 'aggregate_id = ?', [paymentId]);
    expect(await postAlipayNotification(running.system, body)).toEqual({ status: 200, text: 'success' });
    expect(await countRows(running.system, 'outbox', 'aggregate_id = ?', [paymentId])).toBe(events);
  });

  // last: it moves the clock a day on
  it('a genuine notification held back for 26 hours is stale: refused, nothing written', async () => {
    const { paymentId, body } = await paidWithHeldNotification();
    running.system.clock.advance(26 * 3_600_000);
    await refusedWithNothingWritten(paymentId, body);
  });
});

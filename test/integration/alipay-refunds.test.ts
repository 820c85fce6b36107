import { afterEach, describe, expect, it } from 'vitest';
import { systemForFile } from '../support/file-system.js';
import { countRows, errorCode, getPayment, payerAction, refund, uniqueKey } from '../support/payments.js';
import { ledgerOf, settled } from '../support/accounting.js';
import { eventually } from '../support/eventually.js';
import { alipayNotifications, alipayPaymentAwaitingPayer, setAlipayFaults } from '../support/alipay.js';
import { expectNoErrors } from '../support/graphql.js';

const running = systemForFile();
afterEach(async () => {
  await setAlipayFaults(running.system, { loseNotifications: false, uncertainRefunds: false, lostRefundRequests: false });
});

async function paidAlipayPayment(amount = '100.00'): Promise<any> {
  const payment = await alipayPaymentAwaitingPayer(running.system, running.key, amount);
  const paid = expectNoErrors(await payerAction(running.system, running.key, payment.id, 'APPROVE')).sandboxPayerAction;
  expect(paid.status).toBe('SUCCEEDED');
  return paid;
}

const cny = (amount: string) => ({ amount, currency: 'CNY' });

function refundEvents(paymentId: string, type: string): Promise<number> {
  return countRows(running.system, 'outbox', 'aggregate_id = ? and type = ?', [paymentId, type]);
}

describe('Alipay refunds', () => {
  it('partial and several refunds succeed at once, each booked once, up to what was paid', async () => {
    const payment = await paidAlipayPayment('100.00');
    const first = expectNoErrors(await refund(running.system, running.key, payment.id, cny('30.00'))).refundPayment;
    expect(first).toMatchObject({ status: 'SUCCEEDED', amount: { amount: '30.00', currency: 'CNY' } });
    const second = expectNoErrors(await refund(running.system, running.key, payment.id, cny('20.00'))).refundPayment;
    expect(second.status).toBe('SUCCEEDED');
    expect(second.payment.amountRefunded.amount).toBe('50.00');

    expect(errorCode(await refund(running.system, running.key, payment.id, cny('50.01')))).toBe('AMOUNT_TOO_LARGE');
    const rest = expectNoErrors(await refund(running.system, running.key, payment.id)).refundPayment;
    expect(rest).toMatchObject({ status: 'SUCCEEDED', amount: { amount: '50.00' } });
    expect(rest.payment.amountRefunded.amount).toBe('100.00');

    // Alipay notified each refund (the last one closing the trade); the notifications changed nothing more
    await eventually(() => alipayNotifications(running.system, payment.id), (list) => list.filter((n) => n.delivered).length === 4);
    const notified = (await alipayNotifications(running.system, payment.id)).map((n) => new URLSearchParams(n.body));
    expect(notified.slice(1).map((fields) => [fields.get('trade_status'), fields.get('out_biz_no'), fields.get('refund_fee')])).toEqual([
      ['TRADE_SUCCESS', first.id, '30.00'],
      ['TRADE_SUCCESS', second.id, '50.00'],
      ['TRADE_CLOSED', rest.id, '100.00'],
    ]);
    expect(await refundEvents(payment.id, 'refund.succeeded')).toBe(3);

    await settled(running.system);
    const ledger = await ledgerOf(running.system, running.key, payment.id);
    const refunds = ledger.ledgerEntries.filter((entry: any) => entry.account === 'provider:ALIPAY:clearing' && entry.side === 'CREDIT');
    expect(refunds.map((entry: any) => entry.amount.amount).sort()).toEqual(['20.00', '30.00', '50.00']);
  });

  it('a refund is idempotent by its key: the same request again is the same refund, made once at Alipay', async () => {
    const payment = await paidAlipayPayment('40.00');
    const idempotencyKey = uniqueKey('refund');
    const first = expectNoErrors(await refund(running.system, running.key, payment.id, cny('15.00'), idempotencyKey)).refundPayment;
    const again = expectNoErrors(await refund(running.system, running.key, payment.id, cny('15.00'), idempotencyKey)).refundPayment;
    expect(again.id).toBe(first.id);
    expect(again.payment.amountRefunded.amount).toBe('15.00');
    expect(await refundEvents(payment.id, 'refund.succeeded')).toBe(1);
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

  it("an uncertain answer whose notification is lost is settled by the recovery job's refund query", async () => {
    const payment = await paidAlipayPayment('80.00');
    await setAlipayFaults(running.system, { uncertainRefunds: true, loseNotifications: true });
    const pending = expectNoErrors(await refund(running.system, running.key, payment.id, cny('33.33'))).refundPayment;
    expect(pending.status).toBe('PENDING');
    expect(pending.payment.amountRefunded.amount).toBe('33.33');
    // a second refund cannot take what the PENDING one reserved
    expect(errorCode(await refund(running.system, running.key, payment.id, cny('46.68')))).toBe('AMOUNT_TOO_LARGE');

    expect((await running.system.payment.runRecovery()).refunds).toBe(0);
    running.system.clock.advance(2 * 60_000);
    expect((await running.system.payment.runRecovery()).refunds).toBe(1);
    const recovered = await getPayment(running.system, running.key, payment.id);
    expect(recovered.refunds).toMatchObject([{ id: pending.id, status: 'SUCCEEDED', amount: { amount: '33.33' } }]);
    expect(recovered.amountRefunded.amount).toBe('33.33');
    // asked again later, nothing changes twice
    running.system.clock.advance(2 * 60_000);
    expect((await running.system.payment.runRecovery()).refunds).toBe(0);
    expect(await refundEvents(payment.id, 'refund.succeeded')).toBe(1);

    await settled(running.system);
    const ledger = await ledgerOf(running.system, running.key, payment.id);
    expect(ledger.ledgerEntries.filter((entry: any) => entry.account === 'provider:ALIPAY:clearing' && entry.side === 'CREDIT')).toHaveLength(1);
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

  it('a refund of a payment that was not paid is refused before Alipay is asked', async () => {
    const payment = await alipayPaymentAwaitingPayer(running.system, running.key);
    expect(errorCode(await refund(running.system, running.key, payment.id, cny('1.00')))).toBe('INVALID_STATE');
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { cancel, errorCode, getPayment, payerAction, selectRows, paymentTable } from '../support/payments.js';
import { ledgerOf, settled } from '../support/accounting.js';
import { alipayNotifications, alipayPaymentAwaitingPayer, confirmAlipay, createAlipayPayment, setAlipayFaults } from '../support/alipay.js';
import { expectNoErrors } from '../support/graphql.js';

let system: System;
let key: string;

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
});
afterAll(async () => system?.stop());
afterEach(async () => {
  await setAlipayFaults(system, { loseNotifications: false, uncertainRefunds: false });
});

async function tradeNoOf(paymentId: string): Promise<string | null> {
  const rows = await selectRows(system, `select provider_reference from ${paymentTable(system, 'payments')} where id = ?`, [paymentId]);
  return (rows[0]?.['provider_reference'] as string | null) ?? null;
}

describe('Alipay payments through the gateway', () => {
  it('create, confirm to a QR code, the payer approves, the signed notification makes it SUCCEEDED and the ledger books it', async () => {
    const payment = await createAlipayPayment(system, key, '100.00');
    expect(payment).toMatchObject({ status: 'REQUIRES_CONFIRMATION', channel: 'ALIPAY', captureMethod: 'AUTOMATIC' });

    const confirmed = expectNoErrors(await confirmAlipay(system, key, payment.id)).confirmPayment;
    expect(confirmed.status).toBe('REQUIRES_ACTION');
    expect(confirmed.nextAction?.type).toBe('QR_CODE');
    expect(confirmed.nextAction?.url).toMatch(/^https:\/\/qr\.alipay\.com\/\w+$/);

    const approved = expectNoErrors(await payerAction(system, key, payment.id, 'APPROVE')).sandboxPayerAction;
    expect(approved).toMatchObject({ status: 'SUCCEEDED', nextAction: null, failureCode: null });
    expect(approved.amountReceived).toEqual({ amount: '100.00', currency: 'CNY', minorUnits: '10000' });

    // the notification was signed, delivered once and answered `success`
    const [notification, ...others] = await alipayNotifications(system, payment.id);
    expect(others).toEqual([]);
    expect(notification).toMatchObject({ delivered: true, attempts: 1, lost: false });
    const fields = new URLSearchParams(notification!.body);
    expect(fields.get('trade_status')).toBe('TRADE_SUCCESS');
    expect(fields.get('sign_type')).toBe('RSA2');
    expect(await tradeNoOf(payment.id)).toBe(fields.get('trade_no'));

    await settled(system);
    const ledger = await ledgerOf(system, key, payment.id);
    expect(ledger.fee).toEqual({ amount: '2.50', currency: 'CNY', minorUnits: '250' });
    expect(ledger.net?.amount).toBe('97.50');
    const entries = ledger.ledgerEntries.map((entry: any) => [entry.account.replace(/merchant:[^:]+/, 'merchant'), entry.side, entry.amount.amount]);
    expect(entries).toEqual(
      expect.arrayContaining([
        ['provider:ALIPAY:clearing', 'DEBIT', '100.00'],
        ['merchant:pending', 'CREDIT', '97.50'],
        ['platform:fees', 'CREDIT', '2.50'],
      ]),
    );
    expect(entries).toHaveLength(3);
  });

  it('the payer declines: FAILED with PAYER_DECLINED, nothing received, nothing booked', async () => {
    const payment = await alipayPaymentAwaitingPayer(system, key);
    const declined = expectNoErrors(await payerAction(system, key, payment.id, 'DECLINE')).sandboxPayerAction;
    expect(declined).toMatchObject({ status: 'FAILED', failureCode: 'PAYER_DECLINED', nextAction: null });
    expect(declined.amountReceived.minorUnits).toBe('0');
    await settled(system);
    expect((await ledgerOf(system, key, payment.id)).ledgerEntries).toEqual([]);
  });

  it('an unpaid QR code expires: the recovery job closes it at Alipay and cancels it with PAYMENT_EXPIRED', async () => {
    const payment = await alipayPaymentAwaitingPayer(system, key);
    expect((await system.payment.runRecovery()).payments).toBe(0);
    system.clock.advance(14 * 60_000);
    await system.payment.runRecovery();
    expect((await getPayment(system, key, payment.id)).status).toBe('REQUIRES_ACTION');

    system.clock.advance(2 * 60_000);
    expect((await system.payment.runRecovery()).payments).toBeGreaterThanOrEqual(1);
    const expired = await getPayment(system, key, payment.id);
    expect(expired).toMatchObject({ status: 'CANCELED', failureCode: 'PAYMENT_EXPIRED', nextAction: null });
    expect(errorCode(await payerAction(system, key, payment.id, 'APPROVE'))).toBe('INVALID_STATE');
  });

  it('a payment whose notification is lost is found paid by the recovery job querying Alipay', async () => {
    const payment = await alipayPaymentAwaitingPayer(system, key, '12.34');
    await setAlipayFaults(system, { loseNotifications: true });
    const afterPayer = expectNoErrors(await payerAction(system, key, payment.id, 'APPROVE')).sandboxPayerAction;
    expect(afterPayer.status).toBe('REQUIRES_ACTION');
    expect((await alipayNotifications(system, payment.id))[0]).toMatchObject({ lost: true, attempts: 0 });

    // not yet: the callback may still come
    await system.payment.runRecovery();
    expect((await getPayment(system, key, payment.id)).status).toBe('REQUIRES_ACTION');
    system.clock.advance(2 * 60_000);
    await system.payment.runRecovery();
    const recovered = await getPayment(system, key, payment.id);
    expect(recovered).toMatchObject({ status: 'SUCCEEDED', failureCode: null });
    expect(recovered.amountReceived.amount).toBe('12.34');
    expect(await tradeNoOf(payment.id)).toMatch(/^\d{28}$/);
    await settled(system);
    expect((await ledgerOf(system, key, payment.id)).ledgerEntries).toHaveLength(3);
  });

  it('a declined payment whose notification is lost is found closed and fails with PAYER_DECLINED', async () => {
    const payment = await alipayPaymentAwaitingPayer(system, key);
    await setAlipayFaults(system, { loseNotifications: true });
    await payerAction(system, key, payment.id, 'DECLINE');
    system.clock.advance(2 * 60_000);
    await system.payment.runRecovery();
    expect(await getPayment(system, key, payment.id)).toMatchObject({ status: 'FAILED', failureCode: 'PAYER_DECLINED' });
  });

  it('the merchant cancels a payment waiting for its payer: CANCELED, and the payer can no longer act', async () => {
    const payment = await alipayPaymentAwaitingPayer(system, key);
    const canceled = expectNoErrors(await cancel(system, key, payment.id)).cancelPayment;
    expect(canceled).toMatchObject({ status: 'CANCELED', nextAction: null });
    expect(errorCode(await payerAction(system, key, payment.id, 'APPROVE'))).toBe('INVALID_STATE');
  });
});

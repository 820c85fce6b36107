import { afterEach, describe, expect, it } from 'vitest';
import { systemForFile } from '../support/file-system.js';
import { getPayment, payerAction } from '../support/payments.js';
import { ledgerOf, settled } from '../support/accounting.js';
import { alipayNotifications, alipayPaymentAwaitingPayer, setAlipayFaults } from '../support/alipay.js';
import { expectNoErrors } from '../support/graphql.js';
import { providerReferenceOf } from '../support/wallets.js';

// Alipay's own behaviour; what it shares with WeChat Pay is in wallet-payments.test.ts.
const running = systemForFile();

afterEach(async () => {
  await setAlipayFaults(running.system, { loseNotifications: false, uncertainRefunds: false });
});

describe('Alipay payments through the gateway', () => {
  it('the payer approves: the notification is signed RSA2, says TRADE_SUCCESS and names the trade_no the payment keeps', async () => {
    const { system, key } = running;
    const payment = await alipayPaymentAwaitingPayer(system, key, '100.00');
    expectNoErrors(await payerAction(system, key, payment.id, 'APPROVE'));

    const [notification] = await alipayNotifications(system, payment.id);
    const fields = new URLSearchParams(notification!.body);
    expect(fields.get('trade_status')).toBe('TRADE_SUCCESS');
    expect(fields.get('sign_type')).toBe('RSA2');
    expect(await providerReferenceOf(system, payment.id)).toBe(fields.get('trade_no'));
  });

  it('the payer declines: FAILED with PAYER_DECLINED, nothing received, nothing booked', async () => {
    const { system, key } = running;
    const payment = await alipayPaymentAwaitingPayer(system, key);
    const declined = expectNoErrors(await payerAction(system, key, payment.id, 'DECLINE')).sandboxPayerAction;
    expect(declined).toMatchObject({ status: 'FAILED', failureCode: 'PAYER_DECLINED', nextAction: null });
    expect(declined.amountReceived.minorUnits).toBe('0');
    await settled(system);
    expect((await ledgerOf(system, key, payment.id)).ledgerEntries).toEqual([]);
  });

  it('a declined payment whose notification is lost is found closed and fails with PAYER_DECLINED', async () => {
    const { system, key } = running;
    const payment = await alipayPaymentAwaitingPayer(system, key);
    await setAlipayFaults(system, { loseNotifications: true });
    await payerAction(system, key, payment.id, 'DECLINE');
    system.clock.advance(2 * 60_000);
    await system.payment.runRecovery();
    expect(await getPayment(system, key, payment.id)).toMatchObject({ status: 'FAILED', failureCode: 'PAYER_DECLINED' });
  });
});

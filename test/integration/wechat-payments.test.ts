import { afterEach, describe, expect, it } from 'vitest';
import { systemForFile } from '../support/file-system.js';
import { cancel, errorCode, getPayment, payerAction } from '../support/payments.js';
import { ledgerOf, settled } from '../support/accounting.js';
import { confirmWechat, createWechatPayment, loseWechatNotifications, wechatNotifications, wechatPaymentAwaitingPayer } from '../support/wechat.js';
import { expectNoErrors } from '../support/graphql.js';
import { providerReferenceOf } from '../support/wallets.js';

// WeChat Pay's own behaviour; what it shares with Alipay is in wallet-payments.test.ts.
const running = systemForFile();

afterEach(async () => {
  await loseWechatNotifications(running.system, 0);
});

describe('WeChat Pay payments through the gateway', () => {
  it('WeChat Pay names the transaction only once it is paid, in a TRANSACTION.SUCCESS notification encrypted with AEAD_AES_256_GCM', async () => {
    const { system, key } = running;
    const payment = await createWechatPayment(system, key, '100.00');
    expectNoErrors(await confirmWechat(system, key, payment.id));
    expect(await providerReferenceOf(system, payment.id)).toBeNull();

    expectNoErrors(await payerAction(system, key, payment.id, 'APPROVE'));
    const [notification] = await wechatNotifications(system, payment.id);
    expect(notification).toMatchObject({ eventType: 'TRANSACTION.SUCCESS' });
    const body = JSON.parse(notification!.body);
    expect(body).toMatchObject({ resource_type: 'encrypt-resource', resource: { algorithm: 'AEAD_AES_256_GCM', original_type: 'transaction' } });
    expect(notification!.body).not.toContain(payment.id);
    expect(await providerReferenceOf(system, payment.id)).toMatch(/^4200\d{24}$/);
  });

  it('the payer declines: WeChat Pay sends nothing, the recovery job learns it by query: FAILED with PAYER_DECLINED, nothing booked', async () => {
    const { system, key } = running;
    const payment = await wechatPaymentAwaitingPayer(system, key);
    const afterPayer = expectNoErrors(await payerAction(system, key, payment.id, 'DECLINE')).sandboxPayerAction;
    expect(afterPayer.status).toBe('REQUIRES_ACTION');
    expect(await wechatNotifications(system, payment.id)).toEqual([]);

    // not asked yet: nothing was heard of it for less than PAYMENT_RECOVERY_AFTER
    await system.payment.runRecovery();
    expect((await getPayment(system, key, payment.id)).status).toBe('REQUIRES_ACTION');
    system.clock.advance(2 * 60_000);
    expect((await system.payment.runRecovery()).payments).toBeGreaterThanOrEqual(1);
    const declined = await getPayment(system, key, payment.id);
    expect(declined).toMatchObject({ status: 'FAILED', failureCode: 'PAYER_DECLINED', nextAction: null });
    expect(declined.amountReceived.minorUnits).toBe('0');
    await settled(system);
    expect((await ledgerOf(system, key, payment.id)).ledgerEntries).toEqual([]);
  });

  it('a cancel refused because the payer has just paid leaves the payment to the notification', async () => {
    const { system, key } = running;
    const payment = await wechatPaymentAwaitingPayer(system, key, '5.00');
    await loseWechatNotifications(system, 1);
    await payerAction(system, key, payment.id, 'APPROVE');
    expect(errorCode(await cancel(system, key, payment.id))).toBe('INVALID_STATE');
    system.clock.advance(2 * 60_000);
    await system.payment.runRecovery();
    expect((await getPayment(system, key, payment.id)).status).toBe('SUCCEEDED');
  });
});

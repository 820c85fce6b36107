import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { cancel, errorCode, getPayment, payerAction, paymentTable, selectRows } from '../support/payments.js';
import { ledgerOf, settled } from '../support/accounting.js';
import { confirmWechat, createWechatPayment, loseWechatNotifications, wechatNotifications, wechatPaymentAwaitingPayer } from '../support/wechat.js';
import { expectNoErrors } from '../support/graphql.js';

let system: System;
let key: string;

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
});
afterAll(async () => system?.stop());
afterEach(async () => {
  await loseWechatNotifications(system, 0);
});

async function transactionIdOf(paymentId: string): Promise<string | null> {
  const rows = await selectRows(system, `select provider_reference from ${paymentTable(system, 'payments')} where id = ?`, [paymentId]);
  return (rows[0]?.['provider_reference'] as string | null) ?? null;
}

/** The payer scans the code in WeChat, straight at the simulator (not through our API): what WeChat Pay answers. */
async function scanAtWechat(codeUrl: string): Promise<{ status: number; message: string }> {
  const response = await fetch(`${system.wechatPaySimulatorUrl}/sandbox/payer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code_url: codeUrl, outcome: 'APPROVE' }),
  });
  const body = (await response.json()) as { message?: string };
  return { status: response.status, message: body.message ?? '' };
}

describe('WeChat Pay payments through the gateway', () => {
  it('create, confirm to a QR code, the payer approves, the signed encrypted notification makes it SUCCEEDED and the ledger books it', async () => {
    const payment = await createWechatPayment(system, key, '100.00');
    expect(payment).toMatchObject({ status: 'REQUIRES_CONFIRMATION', channel: 'WECHAT_PAY', captureMethod: 'AUTOMATIC' });

    const confirmed = expectNoErrors(await confirmWechat(system, key, payment.id)).confirmPayment;
    expect(confirmed.status).toBe('REQUIRES_ACTION');
    expect(confirmed.nextAction).toEqual({ type: 'QR_CODE', url: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=\w+$/) });
    // WeChat Pay names the transaction only once it is paid
    expect(await transactionIdOf(payment.id)).toBeNull();

    const approved = expectNoErrors(await payerAction(system, key, payment.id, 'APPROVE')).sandboxPayerAction;
    expect(approved).toMatchObject({ status: 'SUCCEEDED', nextAction: null, failureCode: null });
    expect(approved.amountReceived).toEqual({ amount: '100.00', currency: 'CNY', minorUnits: '10000' });

    // one notification, encrypted, delivered at the first attempt and acknowledged
    const [notification, ...others] = await wechatNotifications(system, payment.id);
    expect(others).toEqual([]);
    expect(notification).toMatchObject({ eventType: 'TRANSACTION.SUCCESS', delivered: true, attempts: 1, lost: false });
    const body = JSON.parse(notification!.body);
    expect(body).toMatchObject({ resource_type: 'encrypt-resource', resource: { algorithm: 'AEAD_AES_256_GCM', original_type: 'transaction' } });
    expect(notification!.body).not.toContain(payment.id);
    expect(await transactionIdOf(payment.id)).toMatch(/^4200\d{24}$/);

    await settled(system);
    const ledger = await ledgerOf(system, key, payment.id);
    expect(ledger.fee).toEqual({ amount: '2.50', currency: 'CNY', minorUnits: '250' });
    expect(ledger.net?.amount).toBe('97.50');
    const entries = ledger.ledgerEntries.map((entry: any) => [entry.account.replace(/merchant:[^:]+/, 'merchant'), entry.side, entry.amount.amount]);
    expect(entries).toEqual(
      expect.arrayContaining([
        ['provider:WECHAT_PAY:clearing', 'DEBIT', '100.00'],
        ['merchant:pending', 'CREDIT', '97.50'],
        ['platform:fees', 'CREDIT', '2.50'],
      ]),
    );
    expect(entries).toHaveLength(3);
  });

  it('the payer declines: WeChat Pay sends nothing, the recovery job learns it by query: FAILED with PAYER_DECLINED, nothing booked', async () => {
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

  it('an unpaid QR code expires: the recovery job closes the order at WeChat Pay by out_trade_no and cancels it with PAYMENT_EXPIRED', async () => {
    const payment = await wechatPaymentAwaitingPayer(system, key);
    system.clock.advance(14 * 60_000);
    await system.payment.runRecovery();
    expect((await getPayment(system, key, payment.id)).status).toBe('REQUIRES_ACTION');

    system.clock.advance(2 * 60_000);
    expect((await system.payment.runRecovery()).payments).toBeGreaterThanOrEqual(1);
    const expired = await getPayment(system, key, payment.id);
    expect(expired).toMatchObject({ status: 'CANCELED', failureCode: 'PAYMENT_EXPIRED', nextAction: null });
    // closed at WeChat Pay: the payer's scan is refused there too
    expect(await scanAtWechat(payment.nextAction?.url ?? 'no next action')).toEqual({ status: 409, message: 'the order is CLOSED' });
    expect(errorCode(await payerAction(system, key, payment.id, 'APPROVE'))).toBe('INVALID_STATE');
  });

  it('a payment whose notification is lost is found paid by the recovery job querying WeChat Pay', async () => {
    const payment = await wechatPaymentAwaitingPayer(system, key, '12.34');
    await loseWechatNotifications(system, 1);
    const afterPayer = expectNoErrors(await payerAction(system, key, payment.id, 'APPROVE')).sandboxPayerAction;
    expect(afterPayer.status).toBe('REQUIRES_ACTION');
    expect((await wechatNotifications(system, payment.id))[0]).toMatchObject({ lost: true, attempts: 0 });

    await system.payment.runRecovery();
    expect((await getPayment(system, key, payment.id)).status).toBe('REQUIRES_ACTION');
    system.clock.advance(2 * 60_000);
    await system.payment.runRecovery();
    const recovered = await getPayment(system, key, payment.id);
    expect(recovered).toMatchObject({ status: 'SUCCEEDED', failureCode: null });
    expect(recovered.amountReceived.amount).toBe('12.34');
    expect(await transactionIdOf(payment.id)).toMatch(/^4200\d{24}$/);
    await settled(system);
    expect((await ledgerOf(system, key, payment.id)).ledgerEntries).toHaveLength(3);
  });

  it('the merchant cancels a payment waiting for its payer: the order is closed at WeChat Pay, the payment CANCELED', async () => {
    const payment = await wechatPaymentAwaitingPayer(system, key);
    const canceled = expectNoErrors(await cancel(system, key, payment.id)).cancelPayment;
    expect(canceled).toMatchObject({ status: 'CANCELED', nextAction: null });
    expect(await scanAtWechat(payment.nextAction?.url ?? 'no next action')).toEqual({ status: 409, message: 'the order is CLOSED' });
    expect(errorCode(await payerAction(system, key, payment.id, 'APPROVE'))).toBe('INVALID_STATE');
  });

  it('a cancel refused because the payer has just paid leaves the payment to the notification', async () => {
    const payment = await wechatPaymentAwaitingPayer(system, key, '5.00');
    await loseWechatNotifications(system, 1);
    await payerAction(system, key, payment.id, 'APPROVE');
    expect(errorCode(await cancel(system, key, payment.id))).toBe('INVALID_STATE');
    system.clock.advance(2 * 60_000);
    await system.payment.runRecovery();
    expect((await getPayment(system, key, payment.id)).status).toBe('SUCCEEDED');
  });
});

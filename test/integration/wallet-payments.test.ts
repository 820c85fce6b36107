import { afterEach, describe, expect, it } from 'vitest';
import { systemForFile } from '../support/file-system.js';
import { cancel, countRows, errorCode, getPayment, payerAction, uniqueKey } from '../support/payments.js';
import { ledgerOf, settled } from '../support/accounting.js';
import { expectNoErrors } from '../support/graphql.js';
import { providerReferenceOf, WALLETS } from '../support/wallets.js';

// What Alipay and WeChat Pay (Native) payments share; each channel's own behaviour is in its own file.
const running = systemForFile();
const ORDER_CLOSED = { status: 409, message: 'the order is CLOSED' };

describe.each(WALLETS)('$channel payments', (wallet) => {
  afterEach(async () => {
    await wallet.clearFaults(running.system);
  });

  it('create, confirm to a QR code, the payer approves, the notification makes it SUCCEEDED and the ledger books it', async () => {
    const { system, key } = running;
    const payment = await wallet.create(system, key, '100.00');
    expect(payment).toMatchObject({ status: 'REQUIRES_CONFIRMATION', channel: wallet.channel, captureMethod: 'AUTOMATIC' });

    const confirmed = expectNoErrors(await wallet.confirm(system, key, payment.id)).confirmPayment;
    expect(confirmed.status).toBe('REQUIRES_ACTION');
    expect(confirmed.nextAction).toEqual({ type: 'QR_CODE', url: expect.stringMatching(wallet.qrCodeUrl) });

    const approved = expectNoErrors(await payerAction(system, key, payment.id, 'APPROVE')).sandboxPayerAction;
    expect(approved).toMatchObject({ status: 'SUCCEEDED', nextAction: null, failureCode: null });
    expect(approved.amountReceived).toEqual({ amount: '100.00', currency: 'CNY', minorUnits: '10000' });

    // one notification, delivered at the first attempt and acknowledged
    const [notification, ...others] = await wallet.notifications(system, payment.id);
    expect(others).toEqual([]);
    expect(notification).toMatchObject({ delivered: true, attempts: 1, lost: false });
    expect(await providerReferenceOf(system, payment.id)).toMatch(wallet.transactionNumber);

    await settled(system);
    const ledger = await ledgerOf(system, key, payment.id);
    expect(ledger.fee).toEqual({ amount: '2.50', currency: 'CNY', minorUnits: '250' });
    expect(ledger.net?.amount).toBe('97.50');
    const entries = ledger.ledgerEntries.map((entry) => [entry.account.replace(/merchant:[^:]+/, 'merchant'), entry.side, entry.amount.amount]);
    expect(entries).toEqual(
      expect.arrayContaining([
        [`provider:${wallet.channel}:clearing`, 'DEBIT', '100.00'],
        ['merchant:pending', 'CREDIT', '97.50'],
        ['platform:fees', 'CREDIT', '2.50'],
      ]),
    );
    expect(entries).toHaveLength(3);
  });

  it('an unpaid QR code expires: the recovery job closes the order at the wallet and cancels it with PAYMENT_EXPIRED', async () => {
    const { system, key } = running;
    const payment = await wallet.awaitingPayer(system, key);
    expect((await system.payment.runRecovery()).payments).toBe(0);
    system.clock.advance(14 * 60_000);
    await system.payment.runRecovery();
    expect((await getPayment(system, key, payment.id)).status).toBe('REQUIRES_ACTION');

    system.clock.advance(2 * 60_000);
    expect((await system.payment.runRecovery()).payments).toBeGreaterThanOrEqual(1);
    const expired = await getPayment(system, key, payment.id);
    expect(expired).toMatchObject({ status: 'CANCELED', failureCode: 'PAYMENT_EXPIRED', nextAction: null });
    // closed at the wallet: the payer's scan is refused there too
    if (wallet.scanAtWallet) expect(await wallet.scanAtWallet(system, payment.nextAction?.url ?? 'no next action')).toEqual(ORDER_CLOSED);
    expect(errorCode(await payerAction(system, key, payment.id, 'APPROVE'))).toBe('INVALID_STATE');
  });

  it('a payment whose notification is lost is found paid by the recovery job querying the wallet', async () => {
    const { system, key } = running;
    const payment = await wallet.awaitingPayer(system, key, '12.34');
    await wallet.loseNextNotification(system);
    const afterPayer = expectNoErrors(await payerAction(system, key, payment.id, 'APPROVE')).sandboxPayerAction;
    expect(afterPayer.status).toBe('REQUIRES_ACTION');
    expect((await wallet.notifications(system, payment.id))[0]).toMatchObject({ lost: true, attempts: 0 });

    // not yet: the notification may still come
    await system.payment.runRecovery();
    expect((await getPayment(system, key, payment.id)).status).toBe('REQUIRES_ACTION');
    system.clock.advance(2 * 60_000);
    await system.payment.runRecovery();
    const recovered = await getPayment(system, key, payment.id);
    expect(recovered).toMatchObject({ status: 'SUCCEEDED', failureCode: null });
    expect(recovered.amountReceived.amount).toBe('12.34');
    expect(await providerReferenceOf(system, payment.id)).toMatch(wallet.transactionNumber);
    await settled(system);
    expect((await ledgerOf(system, key, payment.id)).ledgerEntries).toHaveLength(3);
  });

  it('the merchant cancels a payment waiting for its payer: CANCELED, the order closed at the wallet, and the payer can no longer act', async () => {
    const { system, key } = running;
    const payment = await wallet.awaitingPayer(system, key);
    const canceled = expectNoErrors(await cancel(system, key, payment.id)).cancelPayment;
    expect(canceled).toMatchObject({ status: 'CANCELED', nextAction: null });
    if (wallet.scanAtWallet) expect(await wallet.scanAtWallet(system, payment.nextAction?.url ?? 'no next action')).toEqual(ORDER_CLOSED);
    expect(errorCode(await payerAction(system, key, payment.id, 'APPROVE'))).toBe('INVALID_STATE');
  });

  it('confirmation is idempotent: the same key answers the same QR code without a second order', async () => {
    const { system, key } = running;
    const payment = await wallet.create(system, key);
    const idempotencyKey = uniqueKey(`confirm-${wallet.channel}`);
    const first = expectNoErrors(await wallet.confirm(system, key, payment.id, idempotencyKey)).confirmPayment;
    const second = expectNoErrors(await wallet.confirm(system, key, payment.id, idempotencyKey)).confirmPayment;
    expect(second.nextAction).toEqual(first.nextAction);
    expect(await countRows(system, 'outbox', 'aggregate_id = ?', [payment.id])).toBe(3);
  });

  it('refuses what the wallet cannot do: MANUAL capture, another currency than CNY, a card', async () => {
    const { system, key } = running;
    const create = (input: Record<string, unknown>) =>
      system.query<{ createPayment: { id: string } }>(key, 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }', {
        input: { amount: { amount: '10.00', currency: 'CNY' }, channel: wallet.channel, idempotencyKey: uniqueKey('bad'), ...input },
      });
    const manual = await create({ captureMethod: 'MANUAL' });
    expect(errorCode(manual)).toBe('BAD_USER_INPUT');
    expect(manual.errors?.[0]?.message).toMatch(new RegExp(`captureMethod: ${wallet.channel} payments are captured when the payer pays`));
    expect(errorCode(await create({ amount: { amount: '10.00', currency: 'USD' } }))).toBe('BAD_USER_INPUT');

    const payment = await wallet.create(system, key);
    const withCard = await system.query<{ confirmPayment: { id: string } }>(key, 'mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { id } }', {
      input: { paymentId: payment.id, card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' }, idempotencyKey: uniqueKey('c') },
    });
    expect(errorCode(withCard)).toBe('BAD_USER_INPUT');
  });
});

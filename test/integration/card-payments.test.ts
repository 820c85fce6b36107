import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { capture, cancel, confirm, createPayment, errorCode, getPayment, payerAction, TEST_CARDS } from '../support/payments.js';
import { expectNoErrors } from '../support/graphql.js';

let system: System;
let key: string;

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
});
afterAll(async () => system?.stop());

describe('card payments through the gateway', () => {
  it('a succeeding card with automatic capture ends SUCCEEDED with the amount received', async () => {
    const payment = await createPayment(system, key, { amount: '100.00' });
    expect(payment.status).toBe('REQUIRES_CONFIRMATION');
    const result = await confirm(system, key, payment.id, TEST_CARDS.succeeds);
    const confirmed = expectNoErrors(result).confirmPayment;
    expect(confirmed.status).toBe('SUCCEEDED');
    expect(confirmed.amountReceived).toEqual({ amount: '100.00', currency: 'USD', minorUnits: '10000' });
    expect(confirmed.amountCapturable.amount).toBe('0.00');
    expect(confirmed.card).toMatchObject({ brand: 'visa', last4: '4242' });
  });

  it('a declined card ends FAILED with CARD_DECLINED and nothing received', async () => {
    const payment = await createPayment(system, key);
    const confirmed = expectNoErrors(await confirm(system, key, payment.id, TEST_CARDS.declined)).confirmPayment;
    expect(confirmed).toMatchObject({ status: 'FAILED', failureCode: 'CARD_DECLINED' });
    expect(confirmed.amountReceived.minorUnits).toBe('0');
  });

  it('insufficient funds end FAILED with INSUFFICIENT_FUNDS', async () => {
    const payment = await createPayment(system, key);
    const confirmed = expectNoErrors(await confirm(system, key, payment.id, TEST_CARDS.insufficientFunds)).confirmPayment;
    expect(confirmed).toMatchObject({ status: 'FAILED', failureCode: 'INSUFFICIENT_FUNDS' });
  });

  it('an expired card ends FAILED with EXPIRED_CARD', async () => {
    const payment = await createPayment(system, key);
    const result = await system.query<{ confirmPayment: { status: string; failureCode: string | null } }>(
      key,
      'mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { status failureCode } }',
      { input: { paymentId: payment.id, card: { number: TEST_CARDS.succeeds, expMonth: 1, expYear: 2020, cvc: '123' }, idempotencyKey: 'expired-1' } },
    );
    expect(expectNoErrors(result).confirmPayment).toEqual({ status: 'FAILED', failureCode: 'EXPIRED_CARD' });
  });

  it('3-D Secure approved: REQUIRES_ACTION with a REDIRECT, then SUCCEEDED after the signed notification', async () => {
    const payment = await createPayment(system, key, { amount: '42.00', currency: 'EUR' });
    const confirmed = expectNoErrors(await confirm(system, key, payment.id, TEST_CARDS.threeDSecure)).confirmPayment;
    expect(confirmed.status).toBe('REQUIRES_ACTION');
    expect(confirmed.nextAction?.type).toBe('REDIRECT');
    const page = await fetch(confirmed.nextAction?.url ?? 'no next action');
    expect(await page.text()).toContain('42.00 EUR');
    const approved = expectNoErrors(await payerAction(system, key, payment.id, 'APPROVE')).sandboxPayerAction;
    expect(approved).toMatchObject({ status: 'SUCCEEDED', nextAction: null });
    expect(approved.amountReceived.amount).toBe('42.00');
  });

  it('3-D Secure declined: FAILED with PAYER_DECLINED', async () => {
    const payment = await createPayment(system, key);
    await confirm(system, key, payment.id, TEST_CARDS.threeDSecure);
    const declined = expectNoErrors(await payerAction(system, key, payment.id, 'DECLINE')).sandboxPayerAction;
    expect(declined).toMatchObject({ status: 'FAILED', failureCode: 'PAYER_DECLINED' });
  });

  it('3-D Secure with manual capture ends REQUIRES_CAPTURE', async () => {
    const payment = await createPayment(system, key, { captureMethod: 'MANUAL' });
    await confirm(system, key, payment.id, TEST_CARDS.threeDSecure);
    const approved = expectNoErrors(await payerAction(system, key, payment.id, 'APPROVE')).sandboxPayerAction;
    expect(approved.status).toBe('REQUIRES_CAPTURE');
    expect(approved.amountCapturable.amount).toBe('100.00');
  });

  it('manual capture, partial: captures less and releases the rest', async () => {
    const payment = await createPayment(system, key, { amount: '80.00', captureMethod: 'MANUAL' });
    const authorized = expectNoErrors(await confirm(system, key, payment.id)).confirmPayment;
    expect(authorized.status).toBe('REQUIRES_CAPTURE');
    expect(authorized.amountCapturable.amount).toBe('80.00');
    const captured = expectNoErrors(await capture(system, key, payment.id, { amount: '30.50', currency: 'USD' })).capturePayment;
    expect(captured.status).toBe('SUCCEEDED');
    expect(captured.amountReceived.amount).toBe('30.50');
    expect(captured.amountCapturable.amount).toBe('0.00');
  });

  it('manual capture, full by default', async () => {
    const payment = await createPayment(system, key, { amount: '12.34', captureMethod: 'MANUAL' });
    await confirm(system, key, payment.id);
    const captured = expectNoErrors(await capture(system, key, payment.id)).capturePayment;
    expect(captured.amountReceived.amount).toBe('12.34');
  });

  it('capturing more than capturable is AMOUNT_TOO_LARGE and leaves the payment capturable', async () => {
    const payment = await createPayment(system, key, { amount: '10.00', captureMethod: 'MANUAL' });
    await confirm(system, key, payment.id);
    const result = await capture(system, key, payment.id, { amount: '10.01', currency: 'USD' });
    expect(errorCode(result)).toBe('AMOUNT_TOO_LARGE');
    expect((await getPayment(system, key, payment.id)).status).toBe('REQUIRES_CAPTURE');
  });

  it('cancel an authorized payment: CANCELED, nothing capturable', async () => {
    const payment = await createPayment(system, key, { captureMethod: 'MANUAL' });
    await confirm(system, key, payment.id);
    const canceled = expectNoErrors(await cancel(system, key, payment.id)).cancelPayment;
    expect(canceled.status).toBe('CANCELED');
    expect(canceled.amountCapturable.amount).toBe('0.00');
  });

  it('cancel before confirmation', async () => {
    const payment = await createPayment(system, key);
    expect(expectNoErrors(await cancel(system, key, payment.id)).cancelPayment.status).toBe('CANCELED');
  });

  it('amounts keep the currency exponent: JPY has no decimals, KWD three', async () => {
    const yen = await createPayment(system, key, { amount: '1000', currency: 'JPY' });
    expect(yen.amount).toEqual({ amount: '1000', currency: 'JPY', minorUnits: '1000' });
    const dinar = await createPayment(system, key, { amount: '1.25', currency: 'KWD' });
    expect(dinar.amount).toEqual({ amount: '1.250', currency: 'KWD', minorUnits: '1250' });
  });
});

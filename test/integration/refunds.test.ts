import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import {
  capture,
  confirm,
  createPayment,
  errorCode,
  getPayment,
  liveRefundsMinor,
  minor,
  paymentIn,
  refund,
} from '../support/payments.js';
import { expectNoErrors } from '../support/graphql.js';
import { add, parseDecimalAmount, zero } from '../../lib/money.js';

let system: System;
let key: string;

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
});
afterAll(async () => system?.stop());

const usd = (amount: string) => ({ amount, currency: 'USD' });

/** A captured USD payment of the given amount. */
async function succeeded(amount: string): Promise<any> {
  const payment = await createPayment(system, key, { amount });
  const confirmed = expectNoErrors(await confirm(system, key, payment.id)).confirmPayment;
  expect(confirmed).toMatchObject({ status: 'SUCCEEDED', amountReceived: { amount } });
  return confirmed;
}

/** Re-reads the payment and checks what must always hold of refunds; returns the payment. */
async function checkedPayment(id: string): Promise<any> {
  const payment = await getPayment(system, key, id);
  expect(minor(payment.amountRefunded.amount, 'USD')).toBe(liveRefundsMinor(payment));
  expect(payment.amountRefunded.minorUnits).toBe(liveRefundsMinor(payment).toString());
  expect(minor(payment.amountRefunded.amount, 'USD')).toBeLessThanOrEqual(minor(payment.amountReceived.amount, 'USD'));
  expect(payment.status).toBe('SUCCEEDED');
  return payment;
}

/** A refund that must succeed; returns the refund. */
async function refunded(paymentId: string, amount?: string): Promise<any> {
  const result = await refund(system, key, paymentId, amount === undefined ? undefined : usd(amount));
  expect(result.errors).toBeUndefined();
  return expectNoErrors(result).refundPayment;
}

describe('refunds', () => {
  it('a partial refund: SUCCEEDED for that amount, the payment keeps the rest', async () => {
    const payment = await succeeded('100.00');
    const partial = await refunded(payment.id, '30.00');
    expect(partial).toMatchObject({ status: 'SUCCEEDED', amount: { amount: '30.00', currency: 'USD', minorUnits: '3000' } });
    expect(partial.payment.amountRefunded.amount).toBe('30.00');
    const after = await checkedPayment(payment.id);
    expect(after.amountRefunded).toEqual({ amount: '30.00', currency: 'USD', minorUnits: '3000' });
    expect(after.amountReceived.amount).toBe('100.00');
    expect(after.refunds).toEqual([{ id: partial.id, status: 'SUCCEEDED', amount: { amount: '30.00' } }]);
  });

  it('several refunds add up, each listed once', async () => {
    const payment = await succeeded('50.00');
    const amounts = ['10.00', '20.00', '5.55'];
    const ids: string[] = [];
    let total = zero('USD');
    for (const amount of amounts) {
      ids.push((await refunded(payment.id, amount)).id);
      total = add(total, parseDecimalAmount(amount, 'USD'));
      const after = await checkedPayment(payment.id);
      expect(minor(after.amountRefunded.amount, 'USD')).toBe(total.minor);
      expect(after.refunds).toHaveLength(ids.length);
    }
    const after = await checkedPayment(payment.id);
    expect(after.amountRefunded.amount).toBe('35.55');
    expect(new Set(ids).size).toBe(3);
    expect(after.refunds.map((r: any) => r.id).sort()).toEqual([...ids].sort());
  });

  it('without an amount, a refund takes exactly what remains; then nothing is left to refund', async () => {
    const payment = await succeeded('100.00');
    await refunded(payment.id, '30.00');
    const rest = await refunded(payment.id);
    expect(rest).toMatchObject({ status: 'SUCCEEDED', amount: { amount: '70.00', currency: 'USD' } });
    const full = await checkedPayment(payment.id);
    expect(full.amountRefunded.amount).toBe('100.00');
    expect(full.refunds).toHaveLength(2);

    expect(errorCode(await refund(system, key, payment.id))).toBe('AMOUNT_TOO_LARGE');
    expect(errorCode(await refund(system, key, payment.id, usd('0.01')))).toBe('AMOUNT_TOO_LARGE');
    expect(await checkedPayment(payment.id)).toEqual(full);
  });

  it('one cent over the remainder is AMOUNT_TOO_LARGE and changes nothing; the exact remainder then succeeds', async () => {
    const payment = await succeeded('100.00');
    await refunded(payment.id, '40.00');
    const before = await checkedPayment(payment.id);
    const over = await refund(system, key, payment.id, usd('60.01'));
    expect(errorCode(over)).toBe('AMOUNT_TOO_LARGE');
    expect(over.data ?? null).toBeNull();
    expect(await checkedPayment(payment.id)).toEqual(before);

    const exact = await refunded(payment.id, '60.00');
    expect(exact.amount.amount).toBe('60.00');
    const after = await checkedPayment(payment.id);
    expect(after.amountRefunded.amount).toBe('100.00');
    expect(after.refunds).toHaveLength(2);
  });

  it('more than the whole payment at once is AMOUNT_TOO_LARGE', async () => {
    const payment = await succeeded('10.00');
    expect(errorCode(await refund(system, key, payment.id, usd('10.01')))).toBe('AMOUNT_TOO_LARGE');
    const after = await checkedPayment(payment.id);
    expect(after.amountRefunded.amount).toBe('0.00');
    expect(after.refunds).toEqual([]);
  });

  it.each(['REQUIRES_CONFIRMATION', 'REQUIRES_ACTION', 'REQUIRES_CAPTURE', 'FAILED', 'CANCELED'])(
    'a payment in %s cannot be refunded: INVALID_STATE, nothing changes',
    async (status) => {
      const payment = await paymentIn(system, key, status);
      const before = await getPayment(system, key, payment.id);
      expect(errorCode(await refund(system, key, payment.id, usd('1.00')))).toBe('INVALID_STATE');
      expect(errorCode(await refund(system, key, payment.id))).toBe('INVALID_STATE');
      const after = await getPayment(system, key, payment.id);
      expect(after).toEqual(before);
      expect(after.refunds).toEqual([]);
      expect(after.amountRefunded.amount).toBe('0.00');
    },
  );

  it("a refund in another currency than the payment's is BAD_USER_INPUT and changes nothing", async () => {
    const payment = await succeeded('100.00');
    await refunded(payment.id, '10.00');
    const before = await checkedPayment(payment.id);
    const result = await refund(system, key, payment.id, { amount: '10.00', currency: 'EUR' });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(await checkedPayment(payment.id)).toEqual(before);
  });

  it('a refund of zero is BAD_USER_INPUT and changes nothing', async () => {
    const payment = await succeeded('20.00');
    expect(errorCode(await refund(system, key, payment.id, usd('0.00')))).toBe('BAD_USER_INPUT');
    const after = await checkedPayment(payment.id);
    expect(after.refunds).toEqual([]);
  });

  it('a partially captured payment can be refunded up to what was received, not what was authorized', async () => {
    const payment = await createPayment(system, key, { amount: '80.00', captureMethod: 'MANUAL' });
    await confirm(system, key, payment.id);
    const captured = expectNoErrors(await capture(system, key, payment.id, usd('30.50'))).capturePayment;
    expect(captured).toMatchObject({ status: 'SUCCEEDED', amountReceived: { amount: '30.50' } });

    expect(errorCode(await refund(system, key, payment.id, usd('30.51')))).toBe('AMOUNT_TOO_LARGE');
    expect(errorCode(await refund(system, key, payment.id, usd('80.00')))).toBe('AMOUNT_TOO_LARGE');
    expect((await checkedPayment(payment.id)).amountRefunded.amount).toBe('0.00');

    await refunded(payment.id, '10.50');
    const rest = await refunded(payment.id);
    expect(rest.amount.amount).toBe('20.00');
    const after = await checkedPayment(payment.id);
    expect(after.amountRefunded).toEqual(after.amountReceived);
    expect(after.amountRefunded.amount).toBe('30.50');
    expect(errorCode(await refund(system, key, payment.id, usd('0.01')))).toBe('AMOUNT_TOO_LARGE');
  });
});

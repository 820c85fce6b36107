import { describe, expect, it } from 'vitest';
import { systemForFile } from '../support/file-system.js';
import {
  capture,
  confirm,
  countPayments,
  createPayment,
  errorCode,
  getPayment,
  PAYMENT_FIELDS,
  refund,
  uniqueKey,
} from '../support/payments.js';
import { eventually } from '../support/eventually.js';
import type { CreatePaymentResult } from '../support/operations.js';
import { expectNoErrors, type GraphQLResponse } from '../support/graphql.js';

const running = systemForFile();

/** createPayment as sent, with the whole answer (errors included). */
function create(apiKey: string, idempotencyKey: string, amount = '25.00'): Promise<GraphQLResponse<CreatePaymentResult>> {
  return running.system.query<CreatePaymentResult>(apiKey, `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
    input: { amount: { amount, currency: 'USD' }, channel: 'CARD', idempotencyKey },
  });
}

async function freshMerchantKey(): Promise<string> {
  return (await running.system.seedMerchant()).apiKey;
}

describe('idempotency keys', () => {
  it('same key, same input: the same response, and no second payment', async () => {
    const key = await freshMerchantKey();
    const first = await create(key, 'order-1');
    const second = await create(key, 'order-1');
    expect(first.errors).toBeUndefined();
    expect(second).toEqual(first);
    expect(expectNoErrors(second).createPayment.id).toBe(expectNoErrors(first).createPayment.id);
    expect(await countPayments(running.system, key)).toBe(1);
  });

  it('same key, different input: IDEMPOTENCY_KEY_REUSED, and no second payment', async () => {
    const key = await freshMerchantKey();
    expect((await create(key, 'order-1', '25.00')).errors).toBeUndefined();
    const reused = await create(key, 'order-1', '26.00');
    expect(errorCode(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await countPayments(running.system, key)).toBe(1);
  });

  it('keys are scoped per caller: two merchants use the same key independently', async () => {
    const [alice, bob] = [await freshMerchantKey(), await freshMerchantKey()];
    const forAlice = await create(alice, 'shared-key', '10.00');
    const forBob = await create(bob, 'shared-key', '10.00');
    const bobDifferent = await create(bob, 'shared-key-2', '10.00');
    expect(forAlice.errors).toBeUndefined();
    expect(forBob.errors).toBeUndefined();
    expect(bobDifferent.errors).toBeUndefined();
    expect(expectNoErrors(forBob).createPayment.id).not.toBe(expectNoErrors(forAlice).createPayment.id);
    expect(expectNoErrors(forBob).createPayment.merchant.id).not.toBe(expectNoErrors(forAlice).createPayment.merchant.id);
    expect(await countPayments(running.system, alice)).toBe(1);
    expect(await countPayments(running.system, bob)).toBe(2);
    // and a different input under the same key in another scope is not a reuse
    expect((await create(await freshMerchantKey(), 'shared-key', '99.00')).errors).toBeUndefined();
  });

  it('keys are scoped per mutation: one key serves create, confirm, capture and refund of a payment', async () => {
    const key = await freshMerchantKey();
    const payment = await createPayment(running.system, key, { amount: '40.00', captureMethod: 'MANUAL', idempotencyKey: 'step' });
    expect((await confirm(running.system, key, payment.id, undefined, 'step')).data?.confirmPayment.status).toBe('REQUIRES_CAPTURE');
    expect((await capture(running.system, key, payment.id, undefined, 'step')).data?.capturePayment.status).toBe('SUCCEEDED');
    const refunded = await refund(running.system, key, payment.id, undefined, 'step');
    expect(refunded.data?.refundPayment).toMatchObject({ status: 'SUCCEEDED', amount: { amount: '40.00' } });
    expect(await countPayments(running.system, key)).toBe(1);
  });

  it('a request refused by validation stores nothing: the key then serves a valid request', async () => {
    const key = await freshMerchantKey();
    expect(errorCode(await create(key, 'k-invalid', '-5.00'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await create(key, 'k-invalid', '1.001'))).toBe('BAD_USER_INPUT');
    expect(await countPayments(running.system, key)).toBe(0);
    const valid = await create(key, 'k-invalid', '5.00');
    expect(valid.errors).toBeUndefined();
    expect(expectNoErrors(valid).createPayment.amount.amount).toBe('5.00');
    expect(await countPayments(running.system, key)).toBe(1);
  });

  it('a request refused after the claim (INVALID_STATE) releases the key: the same request succeeds once allowed', async () => {
    const key = await freshMerchantKey();
    const payment = await createPayment(running.system, key);
    expect(errorCode(await refund(running.system, key, payment.id, undefined, 'refund-k'))).toBe('INVALID_STATE');
    await confirm(running.system, key, payment.id);
    const result = await refund(running.system, key, payment.id, undefined, 'refund-k');
    expect(result.data?.refundPayment).toMatchObject({ status: 'SUCCEEDED', amount: { amount: '100.00' } });
  });

  it('IDEMPOTENCY_KEY_IN_USE while the first request runs; afterwards the retry gets the stored result', async () => {
    const key = await freshMerchantKey();
    const payment = await createPayment(running.system, key);
    const confirmKey = uniqueKey('slow-confirm');
    await running.system.setProviderLatency(1500);
    try {
      const first = confirm(running.system, key, payment.id, undefined, confirmKey);
      // the payment is PROCESSING once the first request holds the key and waits on the provider
      await eventually(() => getPayment(running.system, key, payment.id), (current) => current.status === 'PROCESSING', { what: `payment ${payment.id} PROCESSING` });
      const concurrent = await confirm(running.system, key, payment.id, undefined, confirmKey);
      expect(errorCode(concurrent)).toBe('IDEMPOTENCY_KEY_IN_USE');
      const finished = await first;
      expect(finished.data?.confirmPayment.status).toBe('SUCCEEDED');
      const retry = await confirm(running.system, key, payment.id, undefined, confirmKey);
      expect(retry).toEqual(finished);
    } finally {
      await running.system.setProviderLatency(0);
    }
  });

  it('a replayed confirm returns the stored result and changes nothing', async () => {
    const key = await freshMerchantKey();
    const payment = await createPayment(running.system, key);
    const first = await confirm(running.system, key, payment.id, undefined, 'confirm-k');
    expect(first.data?.confirmPayment.status).toBe('SUCCEEDED');
    const stored = await getPayment(running.system, key, payment.id);
    const replay = await confirm(running.system, key, payment.id, undefined, 'confirm-k');
    expect(replay).toEqual(first);
    expect(await getPayment(running.system, key, payment.id)).toEqual(stored);
  });

  it('a replayed capture returns the stored result and captures nothing more', async () => {
    const key = await freshMerchantKey();
    const payment = await createPayment(running.system, key, { amount: '60.00', captureMethod: 'MANUAL' });
    await confirm(running.system, key, payment.id);
    const amount = { amount: '45.00', currency: 'USD' };
    const first = await capture(running.system, key, payment.id, amount, 'capture-k');
    expect(first.data?.capturePayment).toMatchObject({ status: 'SUCCEEDED', amountReceived: { amount: '45.00' } });
    const stored = await getPayment(running.system, key, payment.id);
    const replay = await capture(running.system, key, payment.id, amount, 'capture-k');
    expect(replay).toEqual(first);
    expect(await getPayment(running.system, key, payment.id)).toEqual(stored);
  });

  it('a replayed refund returns the same refund and moves no money twice', async () => {
    const key = await freshMerchantKey();
    const payment = await createPayment(running.system, key, { amount: '30.00' });
    await confirm(running.system, key, payment.id);
    const amount = { amount: '12.00', currency: 'USD' };
    const first = await refund(running.system, key, payment.id, amount, 'refund-k');
    expect(first.data?.refundPayment).toMatchObject({ status: 'SUCCEEDED', amount: { amount: '12.00' } });
    const stored = await getPayment(running.system, key, payment.id);
    expect(stored.amountRefunded.amount).toBe('12.00');
    expect(stored.refunds).toHaveLength(1);

    const replay = await refund(running.system, key, payment.id, amount, 'refund-k');
    expect(replay.data?.refundPayment.id).toBe(expectNoErrors(first).refundPayment.id);
    expect(replay).toEqual(first);
    const after = await getPayment(running.system, key, payment.id);
    expect(after).toEqual(stored);
    expect(after.amountRefunded.amount).toBe('12.00');
    expect(after.refunds).toHaveLength(1);
    // the key still refuses a different refund
    expect(errorCode(await refund(running.system, key, payment.id, { amount: '1.00', currency: 'USD' }, 'refund-k'))).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a key of more than 255 characters is BAD_USER_INPUT and creates nothing', async () => {
    const key = await freshMerchantKey();
    expect(errorCode(await create(key, 'k'.repeat(256)))).toBe('BAD_USER_INPUT');
    expect(errorCode(await create(key, ''))).toBe('BAD_USER_INPUT');
    expect((await create(key, 'k'.repeat(255))).errors).toBeUndefined();
    expect(await countPayments(running.system, key)).toBe(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type GraphQLResponse, type System } from '../support/system.js';
import { cancel, capture, confirm, errorCode, getPayment, payerAction, paymentIn, refund } from '../support/payments.js';

let system: System;
let key: string;

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
});
afterAll(async () => system?.stop());

type Operation = 'confirm' | 'capture' | 'cancel' | 'refund' | 'sandboxPayerAction';
const operations: Operation[] = ['confirm', 'capture', 'cancel', 'refund', 'sandboxPayerAction'];

/**
 * The status each operation leaves a 100.00 USD payment in (AUTOMATIC capture, except the
 * REQUIRES_CAPTURE one), from each status a client can reach; every operation not listed is INVALID_STATE.
 */
const expected: Record<string, Partial<Record<Operation, string>>> = {
  REQUIRES_CONFIRMATION: { confirm: 'SUCCEEDED', cancel: 'CANCELED' },
  REQUIRES_ACTION: { cancel: 'CANCELED', sandboxPayerAction: 'SUCCEEDED' },
  REQUIRES_CAPTURE: { capture: 'SUCCEEDED', cancel: 'CANCELED' },
  SUCCEEDED: { refund: 'SUCCEEDED' },
  FAILED: {},
  CANCELED: {},
};

/** Runs the operation and returns the answer with the payment the mutation returned (for refunds, the refund's payment). */
async function attempt(operation: Operation, paymentId: string): Promise<{ result: GraphQLResponse; payment: any }> {
  switch (operation) {
    case 'confirm': {
      const result = await confirm(system, key, paymentId);
      return { result, payment: result.data?.confirmPayment };
    }
    case 'capture': {
      const result = await capture(system, key, paymentId);
      return { result, payment: result.data?.capturePayment };
    }
    case 'cancel': {
      const result = await cancel(system, key, paymentId);
      return { result, payment: result.data?.cancelPayment };
    }
    case 'refund': {
      const result = await refund(system, key, paymentId);
      return { result, payment: result.data?.refundPayment.payment };
    }
    case 'sandboxPayerAction': {
      const result = await payerAction(system, key, paymentId, 'APPROVE');
      return { result, payment: result.data?.sandboxPayerAction };
    }
  }
}

const cases = Object.entries(expected).flatMap(([status, allowed]) =>
  operations.map((operation) => ({ status, operation, to: allowed[operation] })),
);

describe('status transitions through the gateway', () => {
  it('covers 6 reachable statuses × 5 operations, 7 of them allowed', () => {
    expect(cases).toHaveLength(30);
    expect(cases.filter((c) => c.to !== undefined)).toHaveLength(7);
  });

  it.each(cases.filter((c) => c.to !== undefined))('$operation from $status succeeds and ends $to', async ({ status, operation, to }) => {
    const payment = await paymentIn(system, key, status);
    expect(payment.status).toBe(status);
    const { result, payment: answered } = await attempt(operation, payment.id);
    expect(result.errors).toBeUndefined();
    expect(answered).toMatchObject({ id: payment.id, status: to });
    const stored = await getPayment(system, key, payment.id);
    expect(stored.status).toBe(to);
    expect(stored.amountCapturable.amount).toBe('0.00');
    if (to === 'SUCCEEDED') expect(stored.amountReceived.amount).toBe('100.00');
    if (to === 'CANCELED') expect(stored.amountReceived.amount).toBe('0.00');
    if (operation === 'refund') {
      expect(result.data).toMatchObject({ refundPayment: { status: 'SUCCEEDED', amount: { amount: '100.00', currency: 'USD' } } });
      expect(stored.amountRefunded.amount).toBe('100.00');
      expect(stored.refunds).toHaveLength(1);
    } else {
      expect(stored.amountRefunded.amount).toBe('0.00');
      expect(stored.refunds).toEqual([]);
    }
  });

  it.each(cases.filter((c) => c.to === undefined))('$operation from $status is INVALID_STATE and changes nothing', async ({ status, operation }) => {
    const payment = await paymentIn(system, key, status);
    const before = await getPayment(system, key, payment.id);
    expect(before.status).toBe(status);
    const { result } = await attempt(operation, payment.id);
    expect(errorCode(result)).toBe('INVALID_STATE');
    expect(result.errors).toHaveLength(1);
    expect(result.data ?? null).toBeNull();
    expect(await getPayment(system, key, payment.id)).toEqual(before);
  });
});

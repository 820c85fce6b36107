import { describe, expect, it } from 'vitest';
import { systemForFile } from '../support/file-system.js';
import {
  cancel,
  capture,
  confirm,
  countPayments,
  createPayment,
  errorCode,
  getPayment,
  liveRefundsMinor,
  PAYMENT_FIELDS,
  refund,
  uniqueKey,
} from '../support/payments.js';
import type { CreatePaymentResult } from '../support/operations.js';
import { expectNoErrors, type GraphQLResponse } from '../support/graphql.js';

// Races that the payment's row lock (PostgreSQL) or the single writer (SQLite) and the idempotency
// key's unique constraint must settle: many requests at once, exactly the right number win.
const running = systemForFile();

function times<T>(count: number, make: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => make(index)));
}

/** How many answers had each outcome: the error code, or 'ok' for none. */
function outcomes(results: GraphQLResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const outcome = result.errors ? (errorCode(result) ?? 'no code') : 'ok';
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}

describe('concurrent requests', () => {
  it('50 concurrent refunds of 1.00 on a 20.00 payment: exactly 20 succeed, the rest are AMOUNT_TOO_LARGE', async () => {
    const { apiKey } = await running.system.seedMerchant();
    const payment = await createPayment(running.system, apiKey, { amount: '20.00' });
    expect((await confirm(running.system, apiKey, payment.id)).data?.confirmPayment.status).toBe('SUCCEEDED');

    const results = await times(50, () => refund(running.system, apiKey, payment.id, { amount: '1.00', currency: 'USD' }, uniqueKey('race-refund')));

    expect(outcomes(results)).toEqual({ ok: 20, AMOUNT_TOO_LARGE: 30 });
    const succeeded = results.filter((result) => !result.errors).map((result) => expectNoErrors(result).refundPayment);
    expect(succeeded.every((r) => r.status === 'SUCCEEDED' && r.amount.amount === '1.00')).toBe(true);
    expect(new Set(succeeded.map((r) => r.id)).size).toBe(20);

    const after = await getPayment(running.system, apiKey, payment.id);
    expect(after.status).toBe('SUCCEEDED');
    expect(after.amountRefunded).toEqual({ amount: '20.00', currency: 'USD', minorUnits: '2000' });
    expect(after.refunds).toHaveLength(20);
    expect(after.refunds.every((r: any) => r.status === 'SUCCEEDED')).toBe(true);
    expect(liveRefundsMinor(after)).toBe(2000n);
    expect(new Set(after.refunds.map((r: any) => r.id))).toEqual(new Set(succeeded.map((r) => r.id)));
  });

  it('50 concurrent createPayment with one key and one input: one payment, one id, the others IDEMPOTENCY_KEY_IN_USE', async () => {
    const { apiKey } = await running.system.seedMerchant();
    const input = { amount: { amount: '15.00', currency: 'USD' }, channel: 'CARD', idempotencyKey: uniqueKey('race-create') };

    const results = await times(50, () =>
      running.system.query<CreatePaymentResult>(apiKey, `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${PAYMENT_FIELDS} } }`, { input }),
    );

    const counts = outcomes(results);
    expect(counts['ok']).toBeGreaterThanOrEqual(1);
    expect(counts, JSON.stringify(results.find((r) => r.errors && r.errors[0]?.extensions?.code !== 'IDEMPOTENCY_KEY_IN_USE'))).toEqual({ ok: counts['ok'], ...(counts['IDEMPOTENCY_KEY_IN_USE'] ? { IDEMPOTENCY_KEY_IN_USE: counts['IDEMPOTENCY_KEY_IN_USE'] } : {}) });
    expect((counts['ok'] ?? 0) + (counts['IDEMPOTENCY_KEY_IN_USE'] ?? 0)).toBe(50);
    const ids = new Set(results.filter((result) => !result.errors).map((result) => expectNoErrors(result).createPayment.id));
    expect(ids.size).toBe(1);
    expect(await countPayments(running.system, apiKey)).toBe(1);
    const [id = ''] = ids;
    expect(await getPayment(running.system, apiKey, id)).toMatchObject({ id, status: 'REQUIRES_CONFIRMATION', amount: { amount: '15.00' } });

    // once the first has finished, every retry is answered with the same payment
    const retry = await running.system.query<{ createPayment: { id: string } }>(apiKey, `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }`, { input });
    expect(retry.data?.createPayment.id).toBe(id);
    expect(await countPayments(running.system, apiKey)).toBe(1);
  });

  it('10 concurrent captures of one MANUAL payment with different keys: exactly one succeeds', async () => {
    const { apiKey } = await running.system.seedMerchant();
    const payment = await createPayment(running.system, apiKey, { amount: '70.00', captureMethod: 'MANUAL' });
    expect((await confirm(running.system, apiKey, payment.id)).data?.confirmPayment.status).toBe('REQUIRES_CAPTURE');

    const results = await times(10, () => capture(running.system, apiKey, payment.id, undefined, uniqueKey('race-capture')));

    expect(outcomes(results)).toEqual({ ok: 1, INVALID_STATE: 9 });
    const winner = expectNoErrors(results.find((result) => !result.errors) ?? {}).capturePayment;
    expect(winner).toMatchObject({ status: 'SUCCEEDED', amountReceived: { amount: '70.00' } });
    const after = await getPayment(running.system, apiKey, payment.id);
    expect(after).toMatchObject({ status: 'SUCCEEDED', amountReceived: { amount: '70.00' }, amountCapturable: { amount: '0.00' } });
  });

  it('10 concurrent partial captures of different amounts: one amount is captured, no more', async () => {
    const { apiKey } = await running.system.seedMerchant();
    const payment = await createPayment(running.system, apiKey, { amount: '50.00', captureMethod: 'MANUAL' });
    await confirm(running.system, apiKey, payment.id);

    const amounts = Array.from({ length: 10 }, (_, index) => `${index + 1}.00`);
    const results = await times(10, (index) => capture(running.system, apiKey, payment.id, { amount: amounts[index]!, currency: 'USD' }));

    expect(outcomes(results)).toEqual({ ok: 1, INVALID_STATE: 9 });
    const winner = results.findIndex((result) => !result.errors);
    const after = await getPayment(running.system, apiKey, payment.id);
    expect(after.status).toBe('SUCCEEDED');
    expect(after.amountReceived.amount).toBe(amounts[winner]);
  });

  it('a capture and a cancel of one authorized payment at once: exactly one succeeds, and the payment ends as it says', async () => {
    // Regression: cancel used to void at the provider on a stale read, then find the payment PROCESSING
    // (the capture in flight, which the void made fail): both refused, the payment left REQUIRES_CAPTURE
    // with its authorization voided, so it could be neither captured nor canceled any more.
    const { apiKey } = await running.system.seedMerchant();
    for (let round = 0; round < 5; round++) {
      const payment = await createPayment(running.system, apiKey, { amount: '30.00', captureMethod: 'MANUAL' });
      await confirm(running.system, apiKey, payment.id);

      const [captured, canceled] = await Promise.all([capture(running.system, apiKey, payment.id), cancel(running.system, apiKey, payment.id)]);

      const after = await getPayment(running.system, apiKey, payment.id);
      const winners = [captured, canceled].filter((result) => !result.errors);
      expect(winners, `round ${round}: ${JSON.stringify([captured.errors, canceled.errors])}`).toHaveLength(1);
      expect(errorCode(captured.errors ? captured : canceled)).toBe('INVALID_STATE');
      if (captured.errors) {
        expect(after).toMatchObject({ status: 'CANCELED', amountReceived: { amount: '0.00' }, amountCapturable: { amount: '0.00' } });
      } else {
        expect(after).toMatchObject({ status: 'SUCCEEDED', amountReceived: { amount: '30.00' }, amountCapturable: { amount: '0.00' } });
      }
    }
  });

  it('refunds with one key, sent over and over by 10 clients at once, of a payment that cannot be refunded: never an internal error', async () => {
    // Regression: a request that lost the race for the key read the claim after the first request,
    // refused, had released it, and failed with NotFoundError (INTERNAL_SERVER_ERROR). Ten clients
    // retrying in a loop keep claims being taken and released while others read them.
    const { apiKey } = await running.system.seedMerchant();
    const payment = await createPayment(running.system, apiKey, { amount: '9.00' });
    const idempotencyKey = uniqueKey('race-released');
    const perClient = await times(10, async () => {
      const answers: GraphQLResponse[] = [];
      for (let attempt = 0; attempt < 20; attempt++) answers.push(await refund(running.system, apiKey, payment.id, undefined, idempotencyKey));
      return answers;
    });
    const counts = outcomes(perClient.flat());
    expect(Object.keys(counts).filter((code) => code !== 'INVALID_STATE' && code !== 'IDEMPOTENCY_KEY_IN_USE'), JSON.stringify(counts)).toEqual([]);
    expect(counts['INVALID_STATE']).toBeGreaterThanOrEqual(1);
    const after = await getPayment(running.system, apiKey, payment.id);
    expect(after).toMatchObject({ status: 'REQUIRES_CONFIRMATION', refunds: [], amountRefunded: { amount: '0.00' } });
  });
});

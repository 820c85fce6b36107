import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { cancel, capture, confirm, createPayment, getPayment, refund, uniqueKey } from '../support/payments.js';
import { expectNoErrors, type GraphQLResponse } from '../support/graphql.js';
import { armCardFault, cardEffects, clearCardFaults } from '../support/simulator-effects.js';

let system: System;
let key: string;

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
});
afterAll(async () => system?.stop());
afterEach(async () => clearCardFaults(system.simulatorUrl));

const usd = (amount: string) => ({ amount, currency: 'USD' });

async function confirmed(amount: string, captureMethod: 'AUTOMATIC' | 'MANUAL' = 'AUTOMATIC') {
  const payment = await createPayment(system, key, { amount, captureMethod });
  return expectNoErrors(await confirm(system, key, payment.id)).confirmPayment;
}

/** What a client does with a mutation that failed for want of an answer: sends it again with its key, a few times. */
async function retried<T>(send: () => Promise<GraphQLResponse<T>>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const result = await send();
    if (!result.errors?.length || attempt === 5) return expectNoErrors(result);
  }
}

/** The recovery job's next run, once whatever is in flight is older than PAYMENT_RECOVERY_AFTER. */
async function recoveryRuns() {
  system.clock.advance(2 * 60_000);
  return system.payment.runRecovery();
}

describe('card: what the acquirer did when its answers were lost, found by our references', () => {
  it('a refund whose answer was lost stays PENDING until the refund query finds it, refunded once at the acquirer', async () => {
    const payment = await confirmed('40.00');
    await armCardFault(system.simulatorUrl, { drop: 'refund' });
    const pending = expectNoErrors(await refund(system, key, payment.id, usd('10.00'))).refundPayment;
    expect(pending.status).toBe('PENDING');
    expect((await recoveryRuns()).refunds).toBe(1);
    expect((await getPayment(system, key, payment.id)).refunds).toMatchObject([{ id: pending.id, status: 'SUCCEEDED' }]);
    const effects = await cardEffects(system.simulatorUrl, payment.id);
    expect(effects.refunds.map(({ reference, amount }) => ({ reference, amount }))).toEqual([{ reference: pending.id, amount: 1000n }]);
    expect((await recoveryRuns()).refunds).toBe(0);
  });

  it('a refund the acquirer never received is sent again by the refund query, with its key, and made once', async () => {
    const payment = await confirmed('25.00');
    await armCardFault(system.simulatorUrl, { unavailable: 'refund' });
    const pending = expectNoErrors(await refund(system, key, payment.id, usd('25.00'))).refundPayment;
    expect(pending.status).toBe('PENDING');
    expect((await cardEffects(system.simulatorUrl, payment.id)).refunds).toEqual([]);
    expect((await recoveryRuns()).refunds).toBe(1);
    const recovered = await getPayment(system, key, payment.id);
    expect(recovered).toMatchObject({ amountRefunded: { amount: '25.00' }, refunds: [{ id: pending.id, status: 'SUCCEEDED' }] });
    expect((await cardEffects(system.simulatorUrl, payment.id)).refunds.map(({ reference }) => reference)).toEqual([pending.id]);
  });

  it('a capture whose answer was lost, sent again, is captured once', async () => {
    const payment = await confirmed('60.00', 'MANUAL');
    await armCardFault(system.simulatorUrl, { drop: 'capture' });
    const idempotencyKey = uniqueKey('capture');
    const captured = (await retried(() => capture(system, key, payment.id, usd('45.00'), idempotencyKey))).capturePayment;
    expect(captured).toMatchObject({ status: 'SUCCEEDED', amountReceived: { amount: '45.00' } });
    const effects = await cardEffects(system.simulatorUrl, payment.id);
    expect(effects.captures.map(({ amount }) => amount)).toEqual([4500n]);
  });

  it('a cancel whose void answer was lost, sent again, is voided once and CANCELED', async () => {
    const payment = await confirmed('30.00', 'MANUAL');
    await armCardFault(system.simulatorUrl, { drop: 'void' });
    const idempotencyKey = uniqueKey('cancel');
    const canceled = (await retried(() => cancel(system, key, payment.id, idempotencyKey))).cancelPayment;
    expect(canceled.status).toBe('CANCELED');
    const effects = await cardEffects(system.simulatorUrl, payment.id);
    expect(effects.voids).toHaveLength(1);
    expect(effects.authorizations).toMatchObject([{ status: 'voided', capturedAmount: 0n }]);
  });
});

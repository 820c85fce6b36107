import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../../lib/ids.js';
import { money } from '../../../../lib/money.js';
import { startCardSimulator, type CardSimulator } from '../../../../simulators/card/server.js';
import { armCardFault, cardEffects, clearCardFaults } from '../../../../test/support/simulator-effects.js';
import type { Payment } from '../../entities/Payment.js';
import type { Refund } from '../../entities/Refund.js';
import { ChannelError, type ValidatedCard } from '../channel.js';
import { CardChannel } from './channel.js';
import { CardProviderClient } from './client.js';

const apiKey = 'sk_test_card';
let simulator: CardSimulator;
let channel: CardChannel;

beforeAll(async () => {
  simulator = await startCardSimulator({ port: 0, apiKey, webhookSecret: 'whsec_card' });
  const client = new CardProviderClient({ baseUrl: simulator.url, apiKey });
  channel = new CardChannel({ client, webhookSecret: 'whsec_card', callbackUrl: () => 'http://127.0.0.1:9/unused' });
});
afterAll(async () => simulator.close());
afterEach(async () => clearCardFaults(simulator.url));

function cardOf(number: string): ValidatedCard {
  const expYear = new Date().getUTCFullYear() + 1;
  return { number, expMonth: 12, expYear, cvc: '123', summary: { brand: 'visa', last4: number.slice(-4), expMonth: 12, expYear } };
}

function cardPayment(amount: bigint, overrides: Partial<Payment> = {}): Payment {
  const now = new Date();
  return {
    id: newId('pay'), merchantId: 'mer_test', currency: 'EUR', amount, amountCapturable: 0n, amountReceived: 0n, amountRefunded: 0n,
    channel: 'CARD', captureMethod: 'MANUAL', status: 'PROCESSING', nextAction: null, failureCode: null, failureMessage: null,
    description: null, metadata: null, card: null, cancellationReason: null, providerReference: null, pendingOperation: null, pendingAmount: null, expiresAt: null, providerCheckedAt: null,
    createdAt: now, updatedAt: now, eventSequence: 0, version: 1, ...overrides,
  };
}

function cardRefund(payment: Payment, amount: bigint): Refund {
  const now = new Date();
  return {
    id: newId('re'), paymentId: payment.id, merchantId: payment.merchantId, currency: payment.currency, amount, status: 'PENDING', reason: null,
    failureCode: null, providerReference: null, providerCheckedAt: null, createdAt: now, updatedAt: now,
  };
}

/** Confirmed at the acquirer, as the service would store it once the answer is committed. */
async function confirmed(amount: bigint, overrides: Partial<Payment> = {}, number = '4242424242424242'): Promise<Payment> {
  const payment = cardPayment(amount, overrides);
  const outcome = await channel.confirm(payment, cardOf(number));
  if (outcome.kind !== 'authorized' && outcome.kind !== 'captured') throw new Error(`expected an authorization, got ${outcome.kind}`);
  return { ...payment, providerReference: outcome.providerReference };
}

function rejection(promise: Promise<unknown>): Promise<ChannelError> {
  return promise.then(
    () => Promise.reject(new Error('expected a ChannelError')),
    (error: unknown) => (error instanceof ChannelError ? error : Promise.reject(error instanceof Error ? error : new Error(String(error)))),
  );
}

describe('card connector: query', () => {
  it('finds by our reference an authorization whose answer was lost, so whose id was never saved', async () => {
    const payment = cardPayment(1500n);
    await armCardFault(simulator.url, { drop: 'authorize' });
    expect((await rejection(channel.confirm(payment, cardOf('4242424242424242')))).code).toBe('PROVIDER_UNAVAILABLE');
    const [made] = (await cardEffects(simulator.url, payment.id)).authorizations;
    expect(await channel.query(payment)).toEqual({ kind: 'authorized', providerReference: made?.id });
    // the same confirmation sent again replays, it makes no second authorization
    expect(await channel.confirm(payment, cardOf('4242424242424242'))).toEqual({ kind: 'authorized', providerReference: made?.id });
    expect((await cardEffects(simulator.url, payment.id)).authorizations).toHaveLength(1);
  });

  it('answers not_found for a payment the acquirer never saw, and closed for a voided one', async () => {
    expect(await channel.query(cardPayment(100n))).toEqual({ kind: 'not_found' });
    const payment = await confirmed(100n);
    await channel.cancel(payment);
    expect(await channel.query(payment)).toEqual({ kind: 'closed', providerReference: payment.providerReference });
    expect(await channel.query({ ...payment, providerReference: null })).toEqual({ kind: 'closed', providerReference: payment.providerReference });
  });
});

describe('card connector: capture', () => {
  it('captures once though the call is repeated after its answer was lost', async () => {
    const payment = await confirmed(2000n);
    await armCardFault(simulator.url, { drop: 'capture' });
    expect((await rejection(channel.capture(payment, money(1200n, 'EUR')))).code).toBe('PROVIDER_UNAVAILABLE');
    await channel.capture(payment, money(1200n, 'EUR'));
    await channel.capture(payment, money(1200n, 'EUR'));
    const effects = await cardEffects(simulator.url, payment.id);
    expect(effects.captures.map(({ amount }) => amount)).toEqual([1200n]);
  });

  it('captures an authorization whose id was never saved, and refuses another amount than the one captured', async () => {
    const payment = await confirmed(900n);
    await channel.capture({ ...payment, providerReference: null }, money(900n, 'EUR'));
    expect((await rejection(channel.capture(payment, money(800n, 'EUR')))).code).toBe('PROVIDER_INVALID_STATE');
    expect((await cardEffects(simulator.url, payment.id)).captures).toHaveLength(1);
    expect((await rejection(channel.capture(cardPayment(900n), money(900n, 'EUR')))).code).toBe('PROVIDER_INVALID_STATE');
  });

  it('treats a capture the acquirer already made for this amount as done, though sent without the same key', async () => {
    const payment = await confirmed(700n, { captureMethod: 'AUTOMATIC' });
    await channel.capture(payment, money(700n, 'EUR'));
    expect((await cardEffects(simulator.url, payment.id)).captures).toHaveLength(1);
  });

  it('applies nothing while the acquirer is unavailable', async () => {
    const payment = await confirmed(500n);
    await armCardFault(simulator.url, { unavailable: 'capture', count: 2 });
    for (let i = 0; i < 2; i++) expect((await rejection(channel.capture(payment, money(500n, 'EUR')))).code).toBe('PROVIDER_UNAVAILABLE');
    expect((await cardEffects(simulator.url, payment.id)).captures).toEqual([]);
    await channel.capture(payment, money(500n, 'EUR'));
    expect((await cardEffects(simulator.url, payment.id)).captures).toHaveLength(1);
  });
});

describe('card connector: cancel', () => {
  it('voids once though the call is repeated after its answer was lost', async () => {
    const payment = await confirmed(800n);
    await armCardFault(simulator.url, { drop: 'void' });
    expect((await rejection(channel.cancel(payment))).code).toBe('PROVIDER_UNAVAILABLE');
    await channel.cancel(payment);
    await channel.cancel({ ...payment, providerReference: null });
    expect((await cardEffects(simulator.url, payment.id)).voids).toHaveLength(1);
  });

  it('has nothing to void for a declined card or a payment the acquirer never saw, and refuses a captured one', async () => {
    const declined = cardPayment(300n);
    expect((await channel.confirm(declined, cardOf('4000000000000002'))).kind).toBe('declined');
    await channel.cancel(declined);
    await channel.cancel(cardPayment(300n));
    const captured = await confirmed(300n, { captureMethod: 'AUTOMATIC' });
    expect((await rejection(channel.cancel(captured))).code).toBe('PROVIDER_INVALID_STATE');
  });
});

describe('card connector: refunds and their queries', () => {
  it('finds a refund whose answer was lost, and makes it no second time', async () => {
    const payment = await confirmed(1000n, { captureMethod: 'AUTOMATIC' });
    const refund = cardRefund(payment, 400n);
    await armCardFault(simulator.url, { drop: 'refund' });
    expect((await rejection(channel.refund(payment, refund))).code).toBe('PROVIDER_UNAVAILABLE');
    const outcome = await channel.queryRefund(payment, refund);
    const [made] = (await cardEffects(simulator.url, payment.id)).refunds;
    expect(outcome).toEqual({ status: 'SUCCEEDED', providerReference: made?.id, failureCode: null });
    expect(await channel.queryRefund(payment, refund)).toEqual(outcome);
    expect(await channel.refund(payment, refund)).toEqual(outcome);
    expect((await cardEffects(simulator.url, payment.id)).refunds.map(({ reference, amount }) => ({ reference, amount }))).toEqual([{ reference: refund.id, amount: 400n }]);
  });

  it('sends again, with the same key, a refund the acquirer never received', async () => {
    const payment = await confirmed(1000n, { captureMethod: 'AUTOMATIC' });
    const refund = cardRefund(payment, 1000n);
    await armCardFault(simulator.url, { unavailable: 'refund' });
    expect((await rejection(channel.refund(payment, refund))).code).toBe('PROVIDER_UNAVAILABLE');
    expect((await cardEffects(simulator.url, payment.id)).refunds).toEqual([]);
    const outcome = await channel.queryRefund(payment, refund);
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', failureCode: null });
    expect(await channel.queryRefund(payment, refund)).toEqual(outcome);
    expect((await cardEffects(simulator.url, payment.id)).refunds).toHaveLength(1);
  });

  it('answers FAILED for a refund the acquirer refuses, and stays unavailable while it is', async () => {
    const payment = await confirmed(1000n, { captureMethod: 'AUTOMATIC' }, '4000000000005126');
    const refund = cardRefund(payment, 100n);
    await armCardFault(simulator.url, { unavailable: 'refund' });
    expect((await rejection(channel.queryRefund(payment, refund))).code).toBe('PROVIDER_UNAVAILABLE');
    expect(await channel.queryRefund(payment, refund)).toEqual({ status: 'FAILED', providerReference: null, failureCode: 'PROVIDER_REJECTED' });
    expect((await cardEffects(simulator.url, payment.id)).refunds).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CardProviderClient, CardProviderError, type CardAuthorizeInput } from '../../subgraphs/payment/channels/card/client.js';
import { armCardFault, cardEffects, clearCardFaults } from '../../test/support/simulator-effects.js';
import { startCardSimulator, type CardSimulator } from './server.js';

const apiKey = 'sk_test_card';
let simulator: CardSimulator;
let client: CardProviderClient;

beforeAll(async () => {
  simulator = await startCardSimulator({ port: 0, apiKey, webhookSecret: 'whsec_card' });
  client = new CardProviderClient({ baseUrl: simulator.url, apiKey });
});
afterAll(async () => simulator.close());
afterEach(async () => clearCardFaults(simulator.url));

function input(capture: boolean, number = '4242424242424242'): CardAuthorizeInput {
  return {
    reference: `pay_${randomUUID()}`, amount: 1000n, currency: 'EUR', capture,
    card: { number, expMonth: 12, expYear: new Date().getUTCFullYear() + 1, cvc: '123' }, notifyUrl: 'http://127.0.0.1:9/unused',
  };
}

async function refusal(promise: Promise<unknown>): Promise<CardProviderError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof CardProviderError)) throw new Error(`expected a CardProviderError, got ${String(error)}`);
  return error;
}

async function faults(method: 'GET' | 'POST', body?: unknown) {
  const response = await fetch(`${simulator.url}/sandbox/faults`, {
    method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

describe('card simulator: sandbox faults', () => {
  it('drops the answer of an operation it applied: the caller sees the connection reset, a repeat with the key replays', async () => {
    const request = input(true);
    const key = randomUUID();
    await armCardFault(simulator.url, { drop: 'authorize' });
    expect(await refusal(client.authorize(request, key))).toMatchObject({ status: 0, type: 'network_error' });
    const [made] = (await cardEffects(simulator.url, request.reference)).authorizations;
    expect(made).toMatchObject({ reference: request.reference, status: 'captured', amount: 1000n });
    expect(await client.authorize(request, key)).toMatchObject({ id: made?.id, status: 'captured' });
    expect((await cardEffects(simulator.url, request.reference)).authorizations).toHaveLength(1);
  });

  it('answers 503 without applying, as many times as armed, then serves again', async () => {
    const { id } = await client.authorize(input(false), randomUUID());
    await armCardFault(simulator.url, { unavailable: 'capture', count: 2 });
    const key = randomUUID();
    for (let i = 0; i < 2; i++) expect(await refusal(client.capture(id, 1000n, key))).toMatchObject({ status: 503, type: 'api_error' });
    expect(await client.get(id)).toMatchObject({ status: 'authorized' });
    expect(await client.capture(id, 1000n, key)).toMatchObject({ status: 'captured' });
  });

  it('drops voids and refunds too, each only for its own operation', async () => {
    const voidable = await client.authorize(input(false), randomUUID());
    const captured = await client.authorize(input(true), randomUUID());
    await armCardFault(simulator.url, { drop: 'void' });
    await armCardFault(simulator.url, { drop: 'refund', count: 1 });
    expect(await client.get(voidable.id)).toMatchObject({ status: 'authorized' });
    expect((await refusal(client.void(voidable.id))).type).toBe('network_error');
    expect((await refusal(client.refund({ authorization: captured.id, amount: 100n, reference: 'r_drop' }, randomUUID()))).type).toBe('network_error');
    expect(await client.get(voidable.id)).toMatchObject({ status: 'voided' });
    expect(await client.findRefundByReference('r_drop')).toMatchObject({ amount: 100n });
    expect((await faults('GET')).body).toMatchObject({ void: { drop: 0, unavailable: 0 }, refund: { drop: 0, unavailable: 0 } });
  });

  it('shows what is armed, disarms on DELETE, and refuses a malformed fault', async () => {
    expect(await faults('POST', { unavailable: 'refund', count: 3 })).toEqual({
      status: 200,
      body: {
        authorize: { drop: 0, unavailable: 0 }, capture: { drop: 0, unavailable: 0 }, void: { drop: 0, unavailable: 0 }, refund: { drop: 0, unavailable: 3 },
      },
    });
    await clearCardFaults(simulator.url);
    expect((await faults('GET')).body).toMatchObject({ refund: { drop: 0, unavailable: 0 } });
    for (const body of [{}, { drop: 'settle' }, { drop: 'void', unavailable: 'void' }, { drop: 'void', count: -1 }]) {
      expect((await faults('POST', body)).status).toBe(400);
    }
  });
});

describe('card simulator: effects', () => {
  it('lists every authorization, capture, void and refund, all of them or those of one reference', async () => {
    const manual = input(false);
    const { id } = await client.authorize(manual, randomUUID());
    await client.capture(id, 600n, randomUUID());
    await client.refund({ authorization: id, amount: 250n, reference: 're_a' }, randomUUID());
    const voided = await client.authorize(input(false), randomUUID());
    await client.void(voided.id);
    await client.void(voided.id);
    const declined = input(false, '4000000000000002');
    await client.authorize(declined, randomUUID());

    const effects = await cardEffects(simulator.url, manual.reference);
    expect(effects).toEqual({
      authorizations: [{ id, reference: manual.reference, status: 'captured', amount: 1000n, currency: 'EUR', capturedAmount: 600n, refundedAmount: 250n }],
      captures: [{ authorization: id, reference: manual.reference, amount: 600n, currency: 'EUR', at: expect.any(Date) }],
      voids: [],
      refunds: [{ id: expect.stringMatching(/^re_/), authorization: id, paymentReference: manual.reference, reference: 're_a', amount: 250n, currency: 'EUR', at: expect.any(Date) }],
    });
    const all = await cardEffects(simulator.url);
    expect(all.voids.filter(({ authorization }) => authorization === voided.id)).toHaveLength(1);
    expect(all.authorizations.find(({ reference }) => reference === declined.reference)).toMatchObject({ status: 'declined', capturedAmount: 0n });
    expect((await cardEffects(simulator.url, 'pay_nobody')).authorizations).toEqual([]);
  });
});

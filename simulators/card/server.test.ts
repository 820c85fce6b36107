import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it, expect, vi } from 'vitest';
import { CardProviderClient, CardProviderError, type CardAuthorizeInput } from '../../subgraphs/payment/channels/card/client.js';
import { startCardSimulator, type CardSimulator } from './server.js';

const apiKey = 'sk_test_card';
const nextYear = new Date().getUTCFullYear() + 1;
let simulator: CardSimulator;
let client: CardProviderClient;

beforeAll(async () => {
  simulator = await startCardSimulator({ port: 0, apiKey, webhookSecret: 'whsec_card' });
  client = new CardProviderClient({ baseUrl: simulator.url, apiKey });
});
afterAll(async () => {
  await simulator.close();
});

function input(number: string, overrides: Partial<CardAuthorizeInput> = {}): CardAuthorizeInput {
  return {
    reference: `pay_${randomUUID()}`, amount: 1000n, currency: 'EUR', capture: false,
    card: { number, expMonth: 12, expYear: nextYear, cvc: '123' }, notifyUrl: 'http://127.0.0.1:9/unused', ...overrides,
  };
}

async function authorize(number: string, overrides: Partial<CardAuthorizeInput> = {}) {
  return client.authorize(input(number, overrides), randomUUID());
}

async function refusal(promise: Promise<unknown>): Promise<CardProviderError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof CardProviderError)) throw new Error(`expected a CardProviderError, got ${String(error)}`);
  return error;
}

describe('card simulator: authorizations', () => {
  it.each([
    ['4242424242424242', 'authorized', null, 'visa'],
    ['5555555555554444', 'authorized', null, 'mastercard'],
    ['4000000000000002', 'declined', 'card_declined', 'visa'],
    ['4000000000009995', 'declined', 'insufficient_funds', 'visa'],
    ['4000000000000069', 'declined', 'expired_card', 'visa'],
    ['4000000000003220', 'requires_action', null, 'visa'],
    ['4242424242424241', 'declined', 'incorrect_number', 'visa'],
  ])('card %s is %s (%s)', async (number, status, declineCode, brand) => {
    const authorization = await authorize(number);
    expect(authorization).toMatchObject({ status, declineCode, brand, last4: number.slice(-4), amount: 1000n, currency: 'EUR' });
    expect(authorization.id).toMatch(/^auth_/);
    expect(authorization.actionUrl).toBe(status === 'requires_action' ? `${simulator.url}/3ds/${authorization.id}` : null);
  });

  it('declines a card whose expiry month has passed', async () => {
    const past = input('4242424242424242');
    past.card.expYear = nextYear - 2;
    expect(await client.authorize(past, randomUUID())).toMatchObject({ status: 'declined', declineCode: 'expired_card' });
  });

  it('captures at once when asked to', async () => {
    expect(await authorize('4242424242424242', { capture: true })).toMatchObject({ status: 'captured', capturedAmount: 1000n });
  });

  it('captures part of an authorization, once', async () => {
    const { id } = await authorize('4242424242424242');
    expect((await refusal(client.capture(id, 1001n))).type).toBe('invalid_request');
    expect(await client.capture(id, 600n)).toMatchObject({ status: 'captured', amount: 1000n, capturedAmount: 600n });
    expect(await refusal(client.capture(id, 400n))).toMatchObject({ status: 409, type: 'invalid_state' });
    expect(await client.get(id)).toMatchObject({ status: 'captured', capturedAmount: 600n });
    expect(await refusal(client.capture('auth_missing', 1n))).toMatchObject({ status: 404, type: 'not_found' });
  });

  it('voids an authorization, but not a captured one', async () => {
    const { id } = await authorize('4242424242424242');
    expect(await client.void(id)).toMatchObject({ status: 'voided', capturedAmount: 0n });
    expect((await refusal(client.capture(id, 1000n))).status).toBe(409);
    const captured = await authorize('4242424242424242', { capture: true });
    expect(await refusal(client.void(captured.id))).toMatchObject({ status: 409, type: 'invalid_state' });
  });
});

describe('card simulator: refunds', () => {
  it('refunds up to the captured amount and no further', async () => {
    const { id } = await authorize('4242424242424242', { capture: true });
    const first = await client.refund({ authorization: id, amount: 600n, reference: 'ref_1' }, randomUUID());
    expect(first).toMatchObject({ authorization: id, amount: 600n, reference: 'ref_1', status: 'succeeded' });
    expect(first.id).toMatch(/^re_/);
    const overLimit = await refusal(client.refund({ authorization: id, amount: 401n, reference: 'ref_2' }, randomUUID()));
    expect(overLimit).toMatchObject({ status: 400, type: 'invalid_request' });
    await client.refund({ authorization: id, amount: 400n, reference: 'ref_3' }, randomUUID());
  });

  it('refuses every refund to the test card 4000000000005126, which it captures like any other', async () => {
    const { id } = await authorize('4000000000005126', { capture: true });
    expect(await client.get(id)).toMatchObject({ status: 'captured', capturedAmount: 1000n });
    const error = await refusal(client.refund({ authorization: id, amount: 100n, reference: 'ref' }, randomUUID()));
    expect(error).toMatchObject({ status: 400, type: 'invalid_request' });
  });

  it('refuses to refund what was not captured', async () => {
    const { id } = await authorize('4242424242424242');
    const error = await refusal(client.refund({ authorization: id, amount: 1n, reference: 'ref' }, randomUUID()));
    expect(error).toMatchObject({ status: 409, type: 'invalid_state' });
  });
});

describe('card simulator: lookups by our reference', () => {
  it('finds the latest authorization made for a reference, and answers 404 for one it never saw', async () => {
    const request = input('4242424242424242');
    const first = await client.authorize(request, randomUUID());
    expect(await client.findByReference(request.reference)).toEqual(first);
    const second = await client.authorize(request, randomUUID());
    expect(await client.findByReference(request.reference)).toEqual(second);
    expect(await refusal(client.findByReference('pay_never_seen'))).toMatchObject({ status: 404, type: 'not_found' });
  });

  it('finds a refund by its id and by our reference, and answers 404 for one it never made', async () => {
    const { id } = await authorize('4242424242424242', { capture: true });
    const reference = `re_${randomUUID()}`;
    const refund = await client.refund({ authorization: id, amount: 300n, reference }, randomUUID());
    expect(await client.getRefund(refund.id)).toEqual(refund);
    expect(await client.findRefundByReference(reference)).toEqual(refund);
    expect(await refusal(client.getRefund('re_missing'))).toMatchObject({ status: 404, type: 'not_found' });
    expect(await refusal(client.findRefundByReference('re_never_made'))).toMatchObject({ status: 404, type: 'not_found' });
  });

  it('refuses a lookup without a reference', async () => {
    for (const path of ['/v1/authorizations', '/v1/refunds', '/v1/refunds?reference=']) {
      const response = await fetch(`${simulator.url}${path}`, { headers: { Authorization: `Bearer ${apiKey}` } });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { type: 'invalid_request', message: 'reference: is required' } });
    }
  });
});

describe('card simulator: repeated captures and voids', () => {
  it('replays a capture repeated with its Idempotency-Key, and refuses one without the key', async () => {
    const { id } = await authorize('4242424242424242');
    const key = randomUUID();
    const captured = await client.capture(id, 700n, key);
    expect(await client.capture(id, 700n, key)).toEqual(captured);
    expect(await refusal(client.capture(id, 700n))).toMatchObject({ status: 409, type: 'invalid_state' });
    expect(await refusal(client.capture(id, 600n, key))).toMatchObject({ status: 409, type: 'idempotency_error' });
    expect(await client.get(id)).toMatchObject({ status: 'captured', capturedAmount: 700n });
  });

  it('answers a void of a voided authorization as it is, with or without a key', async () => {
    const { id } = await authorize('4242424242424242');
    const key = randomUUID();
    const voided = await client.void(id, key);
    expect(voided.status).toBe('voided');
    expect(await client.void(id, key)).toEqual(voided);
    expect(await client.void(id)).toEqual(voided);
    expect(await client.void(id, randomUUID())).toEqual(voided);
  });
});

describe('card simulator: idempotency and authentication', () => {
  it('replays a repeated request and refuses the key for a different one', async () => {
    const request = input('4242424242424242', { capture: true });
    const key = randomUUID();
    const first = await client.authorize(request, key);
    expect(await client.authorize(request, key)).toEqual(first);
    const conflict = await refusal(client.authorize({ ...request, amount: 2000n }, key));
    expect(conflict).toMatchObject({ status: 409, type: 'idempotency_error' });

    const refundKey = randomUUID();
    const refund = await client.refund({ authorization: first.id, amount: 1000n, reference: 'r' }, refundKey);
    expect(await client.refund({ authorization: first.id, amount: 1000n, reference: 'r' }, refundKey)).toEqual(refund);
  });

  it('refuses a wrong API key', async () => {
    const intruder = new CardProviderClient({ baseUrl: simulator.url, apiKey: 'sk_wrong' });
    expect(await refusal(intruder.authorize(input('4242424242424242'), randomUUID())))
      .toMatchObject({ status: 401, type: 'authentication_error' });
  });

  it('never shows or logs the card number, even in a body it cannot read', async () => {
    const number = '4000056655665556';
    const spies = [vi.spyOn(process.stderr, 'write'), vi.spyOn(process.stdout, 'write'), vi.spyOn(console, 'error')];
    const badCvc = input(number);
    badCvc.card.cvc = 'x';
    const error = await refusal(client.authorize(badCvc, randomUUID()));
    // a JSON syntax error's own message quotes the start of such a body
    const unreadable = await fetch(`${simulator.url}/v1/authorizations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: `"${number}"`,
    });
    const written = spies.flatMap((spy) => spy.mock.calls).map((call) => String(call[0])).join('');
    vi.restoreAllMocks();
    expect(error).toMatchObject({ status: 400, type: 'invalid_request' });
    expect(unreadable.status).toBe(400);
    expect(`${error.message} ${await unreadable.text()} ${written}`).not.toContain(number);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { card, countRows, createPayment, errorCode, getPayment, uniqueKey } from '../support/payments.js';
import { expectNoErrors } from '../support/graphql.js';

let system: System;
let key: string;

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
});
afterAll(async () => system?.stop());

const createMutation = 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id status } }';
const confirmMutation = 'mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { id status } }';

describe('createPayment refuses bad amounts and stores nothing', () => {
  // One merchant of its own, so that what is stored for it can be counted; every refusal reuses one idempotency key.
  let merchant: { merchantId: string; apiKey: string };
  const idempotencyKey = 'bad-amounts';
  beforeAll(async () => {
    merchant = await system.seedMerchant('Refused amounts');
  });

  const stored = async () => ({
    payments: await countRows(system, 'payments', 'merchant_id = ?', [merchant.merchantId]),
    idempotencyKeys: await countRows(system, 'idempotency_keys', 'scope like ?', [`${merchant.merchantId}:%`]),
    outbox: await countRows(system, 'outbox', system.payment.database.dialect === 'postgresql' ? 'payload::text like ?' : 'payload like ?', [
      `%${merchant.merchantId}%`,
    ]),
  });

  it.each([
    ['too many decimals', '10.001', 'USD', 'input.amount'],
    ['decimals in a currency without them', '1.5', 'JPY', 'input.amount'],
    ['zero', '0.00', 'USD', 'input.amount'],
    ['negative', '-5.00', 'USD', 'input.amount'],
    ['an unknown currency', '10.00', 'XYZ', 'input.amount.currency'],
    ['a lower-case currency', '10.00', 'usd', 'input.amount.currency'],
    ['beyond 64 bits', '99999999999999999999.99', 'USD', 'input.amount'],
    ['not a number', 'ten', 'USD', 'input.amount'],
    ['a JSON number', 10, 'USD', 'input.amount'],
  ])('%s (%j %s) is BAD_USER_INPUT naming %s', async (_name, amount, currency, field) => {
    const result = await system.query(merchant.apiKey, createMutation, {
      input: { amount: { amount, currency }, channel: 'CARD', idempotencyKey },
    });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toContain(field);
    expect(result.data ?? null).toBeNull();
  });

  it('after all the refusals above, no payment, idempotency key or outbox row exists for the merchant', async () => {
    expect(await stored()).toEqual({ payments: 0, idempotencyKeys: 0, outbox: 0 });
    // Control: the same counts see a valid payment, made with the very key every refusal used.
    const payment = await createPayment(system, merchant.apiKey, { amount: '10.00', idempotencyKey });
    expect(payment.status).toBe('REQUIRES_CONFIRMATION');
    expect(await stored()).toMatchObject({ payments: 1, idempotencyKeys: 1 });
    expect((await stored()).outbox).toBeGreaterThan(0);
  });
});

describe('bad card input leaves the payment as it was', () => {
  it.each([
    ['a number failing the check digit', { number: '4242424242424241' }, 'input.card.number'],
    ['month 13', { expMonth: 13 }, 'input.card.expMonth'],
    ['a CVC with a letter', { cvc: '12a' }, 'input.card.cvc'],
  ])('%s is BAD_USER_INPUT and the payment stays REQUIRES_CONFIRMATION', async (_name, change, field) => {
    const payment = await createPayment(system, key);
    const result = await system.query(key, confirmMutation, {
      input: { paymentId: payment.id, card: { ...card(), ...change }, idempotencyKey: uniqueKey() },
    });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toContain(field);
    expect((await getPayment(system, key, payment.id)).status).toBe('REQUIRES_CONFIRMATION');
  });

  it('confirming a CARD payment without a card is BAD_USER_INPUT', async () => {
    const payment = await createPayment(system, key);
    const result = await system.query(key, confirmMutation, { input: { paymentId: payment.id, idempotencyKey: uniqueKey() } });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect((await getPayment(system, key, payment.id)).status).toBe('REQUIRES_CONFIRMATION');
  });
});

describe('other refused input', () => {
  it.each([
    ['first: 101', { first: 101 }],
    ['a garbage cursor', { after: 'garbage' }],
  ])('payments with %s is BAD_USER_INPUT', async (_name, args) => {
    const result = await system.query(key, 'query($first: Int, $after: String) { payments(first: $first, after: $after) { edges { cursor } } }', args);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['empty', ''],
    ['256 characters long', 'k'.repeat(256)],
  ])('an idempotency key %s is BAD_USER_INPUT', async (_name, idempotencyKey) => {
    const result = await system.query(key, createMutation, {
      input: { amount: { amount: '1.00', currency: 'USD' }, channel: 'CARD', idempotencyKey },
    });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toContain('input.idempotencyKey');
  });

  it('an idempotency key of 255 characters is accepted', async () => {
    expect((await createPayment(system, key, { idempotencyKey: 'k'.repeat(255) })).status).toBe('REQUIRES_CONFIRMATION');
  });

  /** `payment { refunds { payment { refunds { … { id } } } } }` with `levels` fields on the deepest path. */
  const nested = (levels: number): string => {
    let selection = 'id';
    for (let level = levels - 1; level > 1; level--) selection = `${level % 2 === 0 ? 'refunds' : 'payment'} { ${selection} }`;
    return `query($id: ID!) { payment(id: $id) { ${selection} } }`;
  };

  it('a query nested deeper than 12 levels is QUERY_TOO_COMPLEX; 12 levels are answered', async () => {
    const payment = await createPayment(system, key);
    const tooDeep = await system.query(key, nested(13), { id: payment.id });
    expect(errorCode(tooDeep)).toBe('QUERY_TOO_COMPLEX');
    expect(tooDeep.data ?? null).toBeNull();
    const deepest = await system.query<{ payment: unknown }>(key, nested(12), { id: payment.id });
    expect(deepest.errors).toBeUndefined();
    expect(expectNoErrors(deepest).payment).toEqual({ refunds: [] });
  });

  it('a request body over 256kb is BAD_USER_INPUT', async () => {
    const response = await fetch(`${system.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ viewer { role } }', variables: { padding: 'x'.repeat(300 * 1024) } }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('a syntax error in the query is BAD_USER_INPUT', async () => {
    const result = await system.query(key, '{ viewer { role }');
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['an operationName the document lacks', 'query Viewer { viewer { role } }', 'Nope', 'Unknown operation named "Nope".'],
    ['no operationName for several operations', 'query A { viewer { role } } query B { viewer { role } }', undefined, 'Must provide operation name'],
  ])('%s is BAD_USER_INPUT with HTTP 400, not an internal error', async (_name, query, operationName, message) => {
    const response = await fetch(`${system.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, operationName }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].message).toContain(message);
    expect(body.errors[0].extensions).toEqual({ requestId: expect.any(String), code: 'BAD_USER_INPUT' });
  });
});

describe('health', () => {
  it('GET /health is 200 with the payment subgraph ok', async () => {
    const response = await fetch(`${system.gatewayUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', subgraphs: { payment: 'ok' } });
  });
});

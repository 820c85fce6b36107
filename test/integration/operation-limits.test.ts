import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../lib/http-server.js';
import { countRows, uniqueKey } from '../support/payments.js';
import { errorCodes, subscriptionClient } from '../support/subscriptions.js';
import { startSystem, type System } from '../support/system.js';

/**
 * Regression tests for what one operation may ask (issue 12, "cost, not text"): each refusal is a 400
 * with QUERY_TOO_COMPLEX (or BAD_USER_INPUT) answered before any subgraph is asked, quickly, and
 * nothing is written. Every limit at its default.
 */
let system: System;
let merchant: { merchantId: string; apiKey: string };
let production: RunningServer;

beforeAll(async () => {
  system = await startSystem();
  merchant = await system.seedMerchant('Operation limits');
  production = await system.startGateway({ NODE_ENV: 'production' }, null);
});
afterAll(async () => {
  await production?.close();
  await system?.stop();
});

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  ms: number;
}

/** POSTs a raw JSON body (so that it may hold numbers JSON.stringify cannot write) and times the answer. */
async function post(body: string, url = system.gatewayUrl, apiKey = merchant.apiKey): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body,
  });
  return { status: response.status, body: (await response.json()) as Answer['body'], ms: performance.now() - started };
}
const send = (query: string, variables?: Record<string, unknown>, url?: string) => post(JSON.stringify({ query, variables }), url);
const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.['code'];
const paymentsStored = () => countRows(system, 'payments', 'merchant_id = ?', [merchant.merchantId]);

/** A generous bound for a refusal on a loaded 2-core machine: before the fix, 2^24 spreads took 58 s. */
const QUICK_MS = 2000;

/** `{ ...F0 }` where each fragment spreads the next twice: 2^levels spreads of the last one's selection in a 1 KB document. */
function fragmentBomb(levels: number, root: string, type: string, leaf: string): string {
  const chain = Array.from({ length: levels }, (_, i) => `fragment F${i} on ${type} { ...F${i + 1} ...F${i + 1} }`);
  return `${root.replace('…', '...F0')} ${chain.join(' ')} fragment F${levels} on ${type} { ${leaf} }`;
}

describe('a fragment bomb', () => {
  it.each([24, 30])('of 2^%i spreads is refused over HTTP in milliseconds, /health answering meanwhile', async (levels) => {
    const query = fragmentBomb(levels, '{ … }', 'Query', '__typename');
    expect(query.length).toBeLessThan(1300);
    const [answer, health] = await Promise.all([send(query), fetch(`${system.gatewayUrl}/health`)]);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ extensions: { requestId: expect.any(String), code: 'QUERY_TOO_COMPLEX', cost: 2 ** levels, limit: 10_000 } }),
    ]);
    expect(answer.ms).toBeLessThan(QUICK_MS);
    expect(health.status).toBe(200);
  });

  it('of 2^30 spreads is refused over WebSocket in milliseconds', async () => {
    const query = fragmentBomb(30, 'subscription { paymentStatusChanged { … } }', 'PaymentStatusEvent', 'cursor');
    const client = subscriptionClient(system, merchant.apiKey);
    try {
      const started = performance.now();
      const subscriber = client.subscribe(query);
      await subscriber.ended();
      const ms = performance.now() - started;
      expect(errorCodes(subscriber.error)).toEqual(['QUERY_TOO_COMPLEX']);
      expect((subscriber.error as { extensions: unknown }[])[0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', cost: 1 + 2 ** 30, limit: 10_000 });
      expect(ms).toBeLessThan(QUICK_MS);
      expect((await fetch(`${system.gatewayUrl}/health`)).status).toBe(200);
    } finally {
      await client.close();
    }
  });
});

describe('cost', () => {
  const fees = (first: string) => Array.from({ length: 400 }, (_, i) => `a${i}: payments(first: ${first}) { edges { node { fee { amount } } } }`).join(' ');
  /** 400 × (payments + 100 × (edges + node + fee + amount)): the 40,000 entity fetches of the finding */
  const attackCost = 400 * (1 + 100 * 4);

  it('400 aliases of payments(first: 100) { … fee … } are refused with the cost and the limit', async () => {
    const answer = await send(`{ ${fees('100')} }`);
    expect(answer.status).toBe(400);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors).toEqual([expect.objectContaining({ extensions: { requestId: expect.any(String), code: 'QUERY_TOO_COMPLEX', cost: attackCost, limit: 10_000 } })]);
    expect(answer.ms).toBeLessThan(QUICK_MS);
  });

  it('the same with first: $n counts the variable’s value', async () => {
    const answer = await send(`query($n: Int) { ${fees('$n')} }`, { n: 100 });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ requestId: expect.any(String), code: 'QUERY_TOO_COMPLEX', cost: attackCost, limit: 10_000 });
  });

  it('a dashboard’s page of 100 payments with a dozen fields each is answered', async () => {
    const query = `query($n: Int) { payments(first: $n) { edges { cursor node {
      id status channel createdAt description amount { amount currency } amountRefunded { amount currency }
      fee { amount currency } net { amount currency } refunds { id status amount { amount currency } } } }
      pageInfo { hasNextPage endCursor } } }`;
    const answer = await send(query, { n: 100 });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.status).toBe(200);
  });
});

describe('mutations per request', () => {
  const input = (idempotencyKey: string) => ({ amount: { amount: '1.00', currency: 'USD' }, channel: 'CARD', idempotencyKey });

  it('600 aliased createPayment are refused and write nothing', async () => {
    const query = `mutation($input: CreatePaymentInput!) { ${Array.from({ length: 600 }, (_, i) => `p${i}: createPayment(input: $input) { id }`).join(' ')} }`;
    const answer = await send(query, { input: input(uniqueKey()) });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ requestId: expect.any(String), code: 'QUERY_TOO_COMPLEX', mutations: 600, limit: 5 });
    expect(await paymentsStored()).toBe(0);
  });

  it('600, with an idempotency key each, are refused (by the parser: 18,000 tokens) and write nothing', async () => {
    const literal = (i: number) => `p${i}: createPayment(input: { amount: { amount: "1.00", currency: "USD" }, channel: CARD, idempotencyKey: "${uniqueKey()}-${i}" }) { id }`;
    const answer = await send(`mutation { ${Array.from({ length: 600 }, (_, i) => literal(i)).join(' ')} }`);
    expect(answer.status).toBe(400);
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(await paymentsStored()).toBe(0);
  });

  it('6 are refused, 5 are run', async () => {
    const mutation = (count: number) =>
      `mutation(${Array.from({ length: count }, (_, i) => `$i${i}: CreatePaymentInput!`).join(', ')}) { ${Array.from({ length: count }, (_, i) => `p${i}: createPayment(input: $i${i}) { id }`).join(' ')} }`;
    const inputs = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`i${i}`, input(uniqueKey())]));
    const six = await send(mutation(6), inputs(6));
    expect(six.body.errors?.[0]?.extensions).toEqual({ requestId: expect.any(String), code: 'QUERY_TOO_COMPLEX', mutations: 6, limit: 5 });
    expect(await paymentsStored()).toBe(0);
    const five = await send(mutation(5), inputs(5));
    expect(five.body.errors).toBeUndefined();
    expect(await paymentsStored()).toBe(5);
  });
});

describe('aliases, tokens and validation errors', () => {
  const typenames = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `alias${i}: __typename`).join(' ')} }`;

  it('101 aliases of __typename (graphql-cop’s alias overloading) are refused; 100 are answered', async () => {
    const refused = await send(typenames(101));
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toEqual({ requestId: expect.any(String), code: 'QUERY_TOO_COMPLEX', aliases: 101, limit: 100 });
    expect((await send(typenames(100))).body.errors).toBeUndefined();
  });

  it('500 repeats of __typename (graphql-cop’s field duplication) are refused with the repeats and the limit', async () => {
    const refused = await send(`query { ${'__typename \n'.repeat(500)}}`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toEqual({ requestId: expect.any(String), code: 'QUERY_TOO_COMPLEX', repeats: 500, limit: 10 });
    expect(refused.body.data).toBeUndefined();
  });

  it('a document of more than 10,000 tokens is refused by the parser', async () => {
    const answer = await send(`{ ${'__typename '.repeat(10_000)}}`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ message: 'Syntax Error: Document contains more that 10000 tokens. Parsing aborted.', extensions: { requestId: expect.any(String), code: 'BAD_USER_INPUT' } }),
    ]);
  });

  it.each([
    ['selections', (levels: number) => `{ payment(id: "pay_none") { ${'refunds { payment { '.repeat(levels / 2)}id${' } }'.repeat(levels / 2)} } }`],
    ['an input object', (levels: number) => `{ payments(filter: ${'{ a: '.repeat(levels)}1${' }'.repeat(levels)}) { edges { cursor } } }`],
  ])('%s nested 3,000 deep (as deep as 10,000 tokens go) are refused before parsing, quickly, the gateway staying healthy', async (_what, nested) => {
    const answer = await send(nested(3000));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ extensions: { requestId: expect.any(String), code: 'QUERY_TOO_COMPLEX', nesting: 129, limit: 128 } })]);
    expect(answer.ms).toBeLessThan(QUICK_MS);
    expect((await fetch(`${system.gatewayUrl}/health`)).status).toBe(200);
  });

  it('nested 3,000 deep over WebSocket too', async () => {
    const client = subscriptionClient(system, merchant.apiKey);
    try {
      const subscriber = client.subscribe(`subscription { paymentStatusChanged { payment { ${'refunds { payment { '.repeat(1500)}id${' } }'.repeat(1500)} } } }`);
      await subscriber.ended();
      expect((subscriber.error as { extensions: unknown }[])[0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', nesting: 129, limit: 128 });
    } finally {
      await client.close();
    }
  });

  it('ten unknown directives (graphql-cop’s directive overloading) answer at most 6 errors', async () => {
    const answer = await send('query { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }');
    expect(answer.status).toBe(400);
    expect(answer.body.errors!.length).toBeLessThanOrEqual(6);
    expect(answer.body.errors!.every((error) => error.extensions?.['code'] === 'BAD_USER_INPUT')).toBe(true);
  });
});

describe('introspection', () => {
  it('graphql-cop’s circular introspection is refused (by graphql’s own MaxIntrospectionDepthRule)', async () => {
    const answer = await send('query { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }');
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ message: 'Maximum introspection depth exceeded', extensions: { requestId: expect.any(String), code: 'BAD_USER_INPUT' } })]);
  });

  it('the standard introspection query (the explorer’s, codegen’s) is answered', async () => {
    const query = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true, directiveIsRepeatable: true, specifiedByUrl: true });
    const answer = await send(query);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toMatchObject({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('number literals', () => {
  const literalAmount = (amount: string) =>
    `mutation { createPayment(input: { amount: { amount: ${amount}, currency: "USD" }, channel: CARD, idempotencyKey: "${uniqueKey()}" }) { id } }`;

  it.each([
    ['development', () => system.gatewayUrl],
    ['production', () => production.url],
  ])('a Decimal literal 1e400 is BAD_USER_INPUT with HTTP 400, not a 500 (%s)', async (_mode, url) => {
    const before = await paymentsStored();
    const answer = await send(literalAmount('1e400'), undefined, url());
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ message: 'query: a number literal must be finite and at most 100 characters long', locations: expect.any(Array), extensions: { requestId: expect.any(String), code: 'BAD_USER_INPUT', field: 'query' } }]);
    expect(await paymentsStored()).toBe(before);
  });

  it('a variable of 1e400 (a JSON parser reads Infinity) is BAD_USER_INPUT with HTTP 400', async () => {
    const before = await paymentsStored();
    const mutation = 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }';
    const answer = await post(
      `{"query": ${JSON.stringify(mutation)}, "variables": {"input": {"amount": {"amount": 1e400, "currency": "USD"}, "channel": "CARD", "idempotencyKey": "${uniqueKey()}"}}}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ message: 'variables: a number must be finite', extensions: { requestId: expect.any(String), code: 'BAD_USER_INPUT', field: 'variables' } }]);
    expect(await paymentsStored()).toBe(before);
  });

  it('the string "1e400" is BAD_USER_INPUT from the Decimal scalar', async () => {
    const before = await paymentsStored();
    const answer = await send(literalAmount('"1e400"'));
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('Decimal must be a string such as "10.00"'), extensions: { requestId: expect.any(String), code: 'BAD_USER_INPUT' } })]);
    expect(await paymentsStored()).toBe(before);
  });
});

describe('field suggestions', () => {
  const misspelt = '{ viewer { rol } }';

  it('are given in development', async () => {
    expect((await send(misspelt)).body.errors?.[0]?.message).toContain('Did you mean "role"?');
  });

  it('are not given in production, over HTTP', async () => {
    const answer = await send(misspelt, undefined, production.url);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]).toMatchObject({ message: 'Cannot query field "rol" on type "Viewer".', extensions: { requestId: expect.any(String), code: 'BAD_USER_INPUT' } });
  });

  const misspeltVariable = ['query($c: [PaymentChannel!]) { payments(filter: { channel: $c }) { edges { cursor } } }', { c: ['CARDD'] }] as const;

  it('are given for variables in development', async () => {
    expect((await send(...misspeltVariable)).body.errors?.[0]?.message).toContain('Did you mean the enum value "CARD"?');
  });

  it('are not given for variables in production', async () => {
    const answer = await send(...misspeltVariable, production.url);
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.body.errors?.[0]?.message).not.toContain('Did you mean');
  });

  it('are not given in production, over WebSocket', async () => {
    const client = subscriptionClient({ ...system, gatewayUrl: production.url }, merchant.apiKey);
    try {
      const subscriber = client.subscribe('subscription { paymentStatusChanged { statu } }');
      await subscriber.ended();
      expect(subscriber.error).toEqual([expect.objectContaining({ message: 'Cannot query field "statu" on type "PaymentStatusEvent".' })]);
    } finally {
      await client.close();
    }
  });
});

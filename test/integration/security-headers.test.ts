import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../lib/http-server.js';
import { startSystem, type System } from '../support/system.js';

const ALLOWED = 'https://dashboard.example.com';
const OTHER = 'https://evil.example.net';
const HSTS_MAX_AGE = 31_536_000;

let system: System;
let merchant: { merchantId: string; apiKey: string };
/** a second gateway in front of the same subgraphs, with a CORS allow-list and HSTS */
let configured: RunningServer;

beforeAll(async () => {
  system = await startSystem();
  merchant = await system.seedMerchant('Headers');
  configured = await system.startGateway({ CORS_ORIGINS: `${ALLOWED}, http://localhost:5173`, HSTS_MAX_AGE: String(HSTS_MAX_AGE) }, null);
});
afterAll(async () => {
  await configured?.close();
  await system?.stop();
});

const json = { 'content-type': 'application/json' };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });
const statementUrl = (base: string) => `${base}/statements/transactions.csv?from=2026-01-01&to=2026-01-02`;

/** every kind of answer the gateway gives, by route */
function gatewayAnswers(base: string): [string, () => Promise<Response>][] {
  return [
    ['POST /graphql', () => post(`${base}/graphql`, { query: '{ __typename }' }, bearer(system.adminKey))],
    ['POST /graphql without a key', () => post(`${base}/graphql`, { query: '{ __typename }' })],
    ['POST /graphql, a body that is no JSON', () => fetch(`${base}/graphql`, { method: 'POST', headers: json, body: '{' })],
    ['GET /graphql without a query', () => fetch(`${base}/graphql`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } })],
    ['GET /health', () => fetch(`${base}/health`)],
    ['GET /statements', () => fetch(statementUrl(base), { headers: bearer(merchant.apiKey) })],
    ['GET /statements without a key', () => fetch(statementUrl(base))],
    ['POST /callbacks/card, unsigned', () => post(`${base}/callbacks/card`, { type: 'payment.succeeded' })],
    ['GET / (the explorer)', () => fetch(`${base}/`, { headers: { accept: 'text/html' } })],
    ['GET /explorer/explorer.js', () => fetch(`${base}/explorer/explorer.js`)],
    ['GET a path that does not exist', () => fetch(`${base}/nothing-here`)],
  ];
}

describe('X-Content-Type-Options: nosniff on every answer', () => {
  it.each(gatewayAnswers('').map(([name], index) => [name, index] as const))('gateway: %s', async (_name, index) => {
    const response = await gatewayAnswers(system.gatewayUrl)[index]![1]();
    await response.arrayBuffer();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('every subgraph and simulator: health, and a refused request', async () => {
    const subgraphs = [system.paymentUrl, system.accounting.url, system.transaction.url, system.analytics.url];
    const answers = [
      ...subgraphs.flatMap((url) => [fetch(`${url}/health`), post(`${url}/graphql`, { query: '{ __typename }' })]),
      fetch(`${system.simulatorUrl}/v1/payments/none`),
      fetch(`${system.alipaySimulatorUrl}/gateway.do`),
      fetch(`${system.wechatPaySimulatorUrl}/v3/pay/transactions/out-trade-no/none?mchid=1`),
    ];
    for (const response of await Promise.all(answers)) {
      await response.arrayBuffer();
      expect({ url: response.url, nosniff: response.headers.get('x-content-type-options') }).toEqual({ url: response.url, nosniff: 'nosniff' });
    }
  });
});

describe('Cache-Control: no-store on what carries secrets or statements', () => {
  it('createMerchant and createApiKey: the answer with the new key is never stored by a cache', async () => {
    const created = await post(`${system.gatewayUrl}/graphql`, { query: 'mutation { createMerchant(input: { name: "Cached" }) { apiKey } }' }, bearer(system.adminKey));
    expect(((await created.json()) as { data: { createMerchant: { apiKey: string } } }).data.createMerchant.apiKey).toMatch(/^pgk_/);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const issued = await post(
      `${system.gatewayUrl}/graphql`,
      { query: 'mutation($m: ID) { createApiKey(input: { role: MERCHANT, merchantId: $m }) { apiKey } }', variables: { m: merchant.merchantId } },
      bearer(system.adminKey),
    );
    expect(((await issued.json()) as { data: { createApiKey: { apiKey: string } } }).data.createApiKey.apiKey).toMatch(/^pgk_/);
    expect(issued.headers.get('cache-control')).toBe('no-store');
  });

  it('a statement, GraphQL answers and refusals, health: no-store; the explorer\'s files keep their own caching', async () => {
    const answers = gatewayAnswers(system.gatewayUrl);
    for (const [name, send] of answers) {
      const response = await send();
      await response.arrayBuffer();
      const expected = name.startsWith('GET / ') ? 'no-cache' : name.startsWith('GET /explorer/') ? 'public, max-age=0' : 'no-store';
      expect({ name, cacheControl: response.headers.get('cache-control') }).toEqual({ name, cacheControl: expected });
    }
    const statement = await fetch(statementUrl(system.gatewayUrl), { headers: bearer(merchant.apiKey) });
    expect(statement.status).toBe(200);
    expect(statement.headers.get('content-type')).toMatch(/^text\/csv/);
    await statement.arrayBuffer();
  });
});

describe('Strict-Transport-Security', () => {
  it('off by default (TLS terminates in front of the gateway; only its operator knows whether it does)', async () => {
    for (const [, send] of gatewayAnswers(system.gatewayUrl)) {
      const response = await send();
      await response.arrayBuffer();
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('with HSTS_MAX_AGE: on every answer, subdomains included', async () => {
    for (const [name, send] of gatewayAnswers(configured.url)) {
      const response = await send();
      await response.arrayBuffer();
      expect({ name, hsts: response.headers.get('strict-transport-security') }).toEqual({ name, hsts: `max-age=${HSTS_MAX_AGE}; includeSubDomains` });
    }
  });
});

describe('CORS', () => {
  const preflight = (base: string, origin: string, path = '/graphql') =>
    fetch(`${base}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,apollographql-client-name,apollographql-client-version',
      },
    });

  it('none by default: no CORS header at all, not even to a preflight', async () => {
    const answers = [
      await preflight(system.gatewayUrl, ALLOWED),
      await post(`${system.gatewayUrl}/graphql`, { query: '{ __typename }' }, { ...bearer(system.adminKey), origin: ALLOWED }),
    ];
    for (const response of answers) {
      await response.arrayBuffer();
      expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('an allowed origin: the preflight allows POST and the headers Apollo Client sends; no credentials', async () => {
    const response = await preflight(configured.url, ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
    const allowed = response.headers.get('access-control-allow-headers')!.split(',');
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'apollographql-client-name', 'apollographql-client-version', 'x-apollo-operation-name', 'apollo-require-preflight']));
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('an allowed origin can call the API as a browser app does, and read a statement with its file name', async () => {
    const origin = 'http://localhost:5173';
    const answer = await post(`${configured.url}/graphql`, { query: '{ payments(first: 1) { edges { node { id } } } }' }, { ...bearer(merchant.apiKey), origin, 'apollographql-client-name': 'dashboard' });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { data: unknown }).data).toEqual({ payments: { edges: [] } });
    expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
    expect(answer.headers.get('vary')).toMatch(/Origin/);
    const statement = await fetch(statementUrl(configured.url), { headers: { ...bearer(merchant.apiKey), origin } });
    await statement.arrayBuffer();
    expect(statement.status).toBe(200);
    expect(statement.headers.get('access-control-allow-origin')).toBe(origin);
    expect(statement.headers.get('access-control-expose-headers')).toBe('content-disposition,retry-after');
    expect((await preflight(configured.url, origin, '/statements/transactions.csv')).headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('an origin not in the list gets no Access-Control-Allow-Origin: its browser keeps every answer from it', async () => {
    const answers = [
      await preflight(configured.url, OTHER),
      await preflight(configured.url, `${ALLOWED}.evil.example.net`),
      await post(`${configured.url}/graphql`, { query: '{ __typename }' }, { ...bearer(merchant.apiKey), origin: OTHER }),
      await fetch(statementUrl(configured.url), { headers: { ...bearer(merchant.apiKey), origin: 'null' } }),
    ];
    for (const response of answers) {
      await response.arrayBuffer();
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('CSRF prevention still holds: a request a browser sends without a preflight is not executed, from any origin', async () => {
    for (const origin of [ALLOWED, OTHER]) {
      const get = await fetch(`${configured.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { ...bearer(merchant.apiKey), origin, accept: 'application/json' } });
      expect(get.status).toBe(400);
      expect(await get.text()).toMatch(/CSRF/);
      const form = await fetch(`${configured.url}/graphql`, {
        method: 'POST',
        headers: { ...bearer(merchant.apiKey), origin, 'content-type': 'text/plain' },
        body: JSON.stringify({ query: 'mutation { createMerchant(input: { name: "csrf" }) { apiKey } }' }),
      });
      expect(form.status).toBe(400);
      expect(await form.text()).toMatch(/CSRF/);
    }
    // with a header that needs a preflight, the same GET is executed
    const preflighted = await fetch(`${configured.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { ...bearer(merchant.apiKey), origin: ALLOWED, accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await preflighted.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

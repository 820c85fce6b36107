import { request as httpRequest, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../lib/api-key.js';
import type { RunningServer } from '../../lib/http-server.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { rateLimitRedis } from '../../gateway/rate-limits/redis-store.js';
import { startGateway } from '../../gateway/server.js';
import { startCountingProxy, type CountingProxy } from '../../tools/counting-proxy.js';
import { redisServerAvailable, redisServerRequired, startRedisServer, type RedisServer } from '../../tools/redis-server.js';
import { eventually } from '../support/eventually.js';
import { countPayments } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';

let system: System;
const opened: RunningServer[] = [];

beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  for (const gateway of opened) await gateway.close();
  await system?.stop();
});

/** A gateway of its own in front of the system's subgraphs, with small limits. */
async function gatewayWith(env: Record<string, string>): Promise<string> {
  const gateway = await system.startGateway(env, null);
  opened.push(gateway);
  return gateway.url;
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(gatewayUrl: string, apiKey: string | null, query: string, options: { forwardedFor?: string; variables?: Record<string, unknown> } = {}): Promise<Answer> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...(options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {}),
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
}

const code = (answer: Answer) => answer.body.errors?.[0]?.extensions?.['code'];
const PING = '{ __typename }';
const CREATE = 'mutation($key: String!) { createPayment(input: { amount: { amount: "1.00", currency: "USD" }, channel: CARD, captureMethod: AUTOMATIC, idempotencyKey: $key }) { id } }';

function expectRateLimited(answer: Answer) {
  expect(answer.status).toBe(429);
  expect(code(answer)).toBe('RATE_LIMITED');
  const retryAfter = answer.body.errors![0]!.extensions!['retryAfter'];
  expect(typeof retryAfter).toBe('number');
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(answer.retryAfter).toBe(String(retryAfter));
  expect(answer.body.data).toBeUndefined();
}

describe('rate limits per API key', () => {
  it('refuses the request after the budget with RATE_LIMITED, retryAfter and Retry-After, and runs nothing of it', async () => {
    const url = await gatewayWith({ RATE_LIMIT_PER_KEY: '3', RATE_LIMIT_WINDOW: '1m' });
    const { apiKey } = await system.seedMerchant('Busy merchant');
    for (let i = 0; i < 3; i++) expect((await post(url, apiKey, CREATE, { variables: { key: `busy-${i}` } })).body.errors).toBeUndefined();
    const refused = await post(url, apiKey, CREATE, { variables: { key: 'busy-over' } });
    expectRateLimited(refused);
    expect(refused.body.errors![0]!.message).toMatch(/at most 3 per 60 s/);
    expect(await countPayments(system, apiKey)).toBe(3);

    // another key, and the operator's ADMIN key (exempt from per-key limits), are still answered
    const other = await system.seedMerchant('Quiet merchant');
    expect((await post(url, other.apiKey, PING)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await post(url, system.adminKey, PING)).status).toBe(200);
  });

  it('counts GET /statements too, refused with 429 and Retry-After', async () => {
    const url = await gatewayWith({ RATE_LIMIT_PER_KEY: '2', RATE_LIMIT_WINDOW: '1m' });
    const { apiKey } = await system.seedMerchant('Statement reader');
    const get = () => fetch(`${url}/statements/transactions.csv?from=2000-01-01&to=2100-01-01`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as Answer['body']).errors![0]!.extensions!['code']).toBe('RATE_LIMITED');
  });
});

describe('concurrency limit per API key', () => {
  it('refuses a request while the key has its share in flight, and admits again once they end', async () => {
    const url = new URL(await gatewayWith({ MAX_CONCURRENT_REQUESTS_PER_KEY: '2' }));
    const { apiKey } = await system.seedMerchant('Slow sender');
    // Requests whose bodies never finish arriving: admitted, then in flight until their client goes.
    const stalled: ClientRequest[] = [0, 1].map(() => {
      const pending = httpRequest({ host: url.hostname, port: url.port, path: '/graphql', method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'content-length': '1000' } });
      pending.on('error', () => undefined);
      pending.write('{"query":');
      return pending;
    });
    const refused = await eventually(() => post(url.origin, apiKey, PING), (answer) => answer.status === 429, { what: 'the third request refused' });
    expectRateLimited(refused);
    expect(refused.body.errors![0]!.message).toMatch(/2 requests in progress/);
    expect((await post(url.origin, system.adminKey, PING)).status).toBe(200);
    for (const pending of stalled) pending.destroy();
    await eventually(() => post(url.origin, apiKey, PING), (answer) => answer.status === 200, { what: 'admitted again' });
  });
});

describe('rate limits per client address', () => {
  it('counts every request of an address, whatever its key, and X-Forwarded-For only behind a trusted proxy', async () => {
    const direct = await gatewayWith({ RATE_LIMIT_PER_ADDRESS: '4', RATE_LIMIT_WINDOW: '1m' });
    // a forged header does not make a client someone else: all of these are 127.0.0.1
    for (let i = 0; i < 4; i++) expect((await post(direct, system.adminKey, PING, { forwardedFor: `198.51.100.${i}` })).status).toBe(200);
    expectRateLimited(await post(direct, system.adminKey, PING, { forwardedFor: '198.51.100.99' }));

    const proxied = await gatewayWith({ RATE_LIMIT_PER_ADDRESS: '4', RATE_LIMIT_WINDOW: '1m', TRUST_PROXY: 'loopback' });
    for (let i = 0; i < 4; i++) expect((await post(proxied, system.adminKey, PING, { forwardedFor: '203.0.113.7' })).status).toBe(200);
    expectRateLimited(await post(proxied, system.adminKey, PING, { forwardedFor: '203.0.113.7' }));
    expect((await post(proxied, system.adminKey, PING, { forwardedFor: '203.0.113.8' })).status).toBe(200);
  });
});

describe('failed authentications per client address', () => {
  let proxy: CountingProxy;
  beforeAll(async () => {
    proxy = await startCountingProxy(system.paymentUrl);
  });
  afterAll(async () => {
    await proxy?.close();
  });
  const lookups = () => proxy.bodies.filter((body) => body.includes('keyHash')).length;

  it('6,000 bad keys from one address: after the limit RATE_LIMITED before any lookup, a good key elsewhere unaffected', async () => {
    const url = await gatewayWith({ AUTH_FAILURE_LIMIT: '20', AUTH_FAILURE_WINDOW: '10m', API_KEY_CACHE_TTL: '10m', TRUST_PROXY: 'loopback', PAYMENT_SUBGRAPH_URL: proxy.url });
    const { apiKey } = await system.seedMerchant('Honest neighbour');
    expect((await post(url, apiKey, PING, { forwardedFor: '203.0.113.50' })).status).toBe(200);
    const cachedLookups = lookups();

    const statuses = new Map<number, number>();
    const attacker = '203.0.113.66';
    const keys = Array.from({ length: 6000 }, (_, i) => (i % 3 === 0 ? 'not-a-key' : generateApiKey()));
    for (let at = 0; at < keys.length; at += 200) {
      const answers = await Promise.all(keys.slice(at, at + 200).map((key) => post(url, key, PING, { forwardedFor: attacker })));
      for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    }
    // the requests of the first batch race each other past the check: a few more than 20 fail before the lockout
    expect(statuses.get(401)).toBeGreaterThanOrEqual(20);
    expect(statuses.get(401)).toBeLessThanOrEqual(220);
    expect(statuses.get(429)).toBe(6000 - statuses.get(401)!);
    expect(lookups() - cachedLookups).toBeLessThanOrEqual(statuses.get(401)!);

    // locked out: even a good key from that address is refused, and nothing is looked up for it
    const before = lookups();
    expectRateLimited(await post(url, generateApiKey(), PING, { forwardedFor: attacker }));
    expect(lookups()).toBe(before);
    // the neighbour's key stayed cached (bad keys do not evict it) and its address is not locked
    expect((await post(url, apiKey, PING, { forwardedFor: '203.0.113.50' })).status).toBe(200);
    expect(lookups()).toBe(before);
  });

  it('a well-formed unknown key costs one payment-subgraph lookup per window, however often it is sent', async () => {
    const url = await gatewayWith({ AUTH_FAILURE_LIMIT: '1000', PAYMENT_SUBGRAPH_URL: proxy.url });
    const unknown = generateApiKey();
    const before = lookups();
    for (let i = 0; i < 30; i++) expect((await post(url, unknown, PING)).status).toBe(401);
    expect(lookups() - before).toBe(1);
  });
});

const runsRedis = redisServerAvailable() || redisServerRequired();

describe.runIf(runsRedis)('rate limits in Redis, shared by gateway replicas', () => {
  let redis: RedisServer;
  const stores: ReturnType<typeof rateLimitRedis>[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ persistence: 'none' });
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await redis?.stop();
  });

  async function replica(env: Record<string, string>): Promise<string> {
    const store = rateLimitRedis(redis.url);
    stores.push(store);
    await eventually(() => store.client.status, (status) => status === 'ready', { what: 'Redis connected' });
    const config = loadGatewayConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: system.dataDir,
      ADMIN_API_KEY: system.adminKey,
      INTERNAL_SECRET: system.internalSecret,
      PAYMENT_SUBGRAPH_URL: system.paymentUrl,
      ACCOUNTING_SUBGRAPH_URL: system.accounting.url,
      TRANSACTION_SUBGRAPH_URL: system.transaction.url,
      ANALYTICS_SUBGRAPH_URL: system.analytics.url,
      ...env,
    });
    const gateway = await startGateway(config, { rateLimitRedis: store.client });
    opened.push(gateway);
    return gateway.url;
  }

  it('two replicas count one key together, and a Redis outage refuses nothing by itself', async () => {
    const env = { RATE_LIMIT_PER_KEY: '6', RATE_LIMIT_WINDOW: '1m' };
    const [a, b] = [await replica(env), await replica(env)];
    const { apiKey } = await system.seedMerchant('Two replicas');
    for (let i = 0; i < 3; i++) {
      expect((await post(a, apiKey, PING)).status).toBe(200);
      expect((await post(b, apiKey, PING)).status).toBe(200);
    }
    expectRateLimited(await post(a, apiKey, PING));
    expectRateLimited(await post(b, apiKey, PING));

    await redis.kill();
    // each replica counts in memory meanwhile (the insurance limiter): a fresh key is answered at once
    const other = await system.seedMerchant('During the outage');
    const during = Date.now();
    expect((await post(a, other.apiKey, PING)).status).toBe(200);
    expect((await post(b, other.apiKey, PING)).status).toBe(200);
    expect(Date.now() - during).toBeLessThan(10_000);
    await redis.restart();
  });
});

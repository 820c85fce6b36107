import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../lib/http-server.js';
import { freePort } from '../../tools/free-port.js';
import { redisServerAvailable, redisServerRequired, startRedisServer } from '../../tools/redis-server.js';
import { live, subscriptionClient, type SubscriptionClient } from '../support/subscriptions.js';
import { startSystem, type System } from '../support/system.js';
import { eventually } from '../support/eventually.js';
import { logCapture } from '../support/log-capture.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const VIEWER = 'query Viewer { viewer { role merchant { name } } }';
const WATCH = 'subscription Watch { paymentStatusChanged { paymentId status } }';

interface Answer {
  status: number;
  cacheControl: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** One request as Apollo Client's HTTP link sends it: a JSON POST, or (useGETForHashedQueries) a GET with its parts as parameters. */
async function send(gatewayUrl: string, apiKey: string, request: Record<string, unknown>, method: 'POST' | 'GET' = 'POST'): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
  let url = `${gatewayUrl}/graphql`;
  let body: string | undefined;
  if (method === 'GET') {
    const params = Object.entries(request).map(([name, value]): [string, string] => [name, typeof value === 'string' ? value : JSON.stringify(value)]);
    url += `?${new URLSearchParams(params).toString()}`;
    headers['apollo-require-preflight'] = 'true';
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request);
  }
  const response = await fetch(url, { method, headers, body });
  return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as Answer['body'] };
}

const hashOnly = (query: string, version = 1) => ({ extensions: { persistedQuery: { version, sha256Hash: sha256(query) } } });
const withText = (query: string) => ({ query, ...hashOnly(query) });
const codes = (answer: Answer) => answer.body.errors?.map((error) => error.extensions?.code);

let system: System;
let merchant: { merchantId: string; apiKey: string };
const logs = logCapture();
/** logInternalError's lines: nothing in this file may read as an internal error */
const internalErrors = () => logs.lines().filter((line) => line.msg === 'internal error');

beforeAll(async () => {
  system = await startSystem({ logs: logs.destination, env: { LOG_LEVEL: 'error' } });
  merchant = await system.seedMerchant('Persisted queries');
});
afterAll(async () => {
  await system?.stop();
});

describe("automatic persisted queries, as Apollo Client's persisted query link sends them", () => {
  const viewer = { viewer: { role: 'MERCHANT', merchant: { name: 'Persisted queries' } } };

  it('an unknown hash is PERSISTED_QUERY_NOT_FOUND (HTTP 200, not cached); hash and text then run it and register it; the hash alone runs it afterwards', async () => {
    const query = `${VIEWER} # ${Math.random()}`;
    const unknown = await send(system.gatewayUrl, merchant.apiKey, hashOnly(query));
    expect(unknown.status).toBe(200);
    expect(unknown.cacheControl).toMatch(/no-cache/);
    expect(unknown.body.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { requestId: expect.any(String), code: 'PERSISTED_QUERY_NOT_FOUND' } }]);

    const registering = await send(system.gatewayUrl, merchant.apiKey, withText(query));
    expect(registering.status).toBe(200);
    expect(registering.body).toEqual({ data: viewer });

    const known = await send(system.gatewayUrl, merchant.apiKey, hashOnly(query));
    expect(known.body).toEqual({ data: viewer });
    const knownOverGet = await send(system.gatewayUrl, merchant.apiKey, hashOnly(query), 'GET');
    expect(knownOverGet.body).toEqual({ data: viewer });
    expect(internalErrors()).toEqual([]);
  });

  it('a hash that is not the query\'s is BAD_USER_INPUT (HTTP 400), and registers nothing', async () => {
    const query = `${VIEWER} # ${Math.random()}`;
    const wrong = await send(system.gatewayUrl, merchant.apiKey, { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256('something else') } } });
    expect(wrong.status).toBe(400);
    expect(codes(wrong)).toEqual(['BAD_USER_INPUT']);
    expect(wrong.body.errors![0]!.message).toMatch(/sha256Hash.*not the SHA-256/);
    expect(codes(await send(system.gatewayUrl, merchant.apiKey, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('something else') } } }))).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
    expect(internalErrors()).toEqual([]);
  });

  it('an unsupported protocol version is BAD_USER_INPUT (HTTP 400)', async () => {
    const answer = await send(system.gatewayUrl, merchant.apiKey, { query: VIEWER, ...hashOnly(VIEWER, 2) });
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.body.errors![0]!.message).toMatch(/version/);
    expect(internalErrors()).toEqual([]);
  });
});

describe('a subscription sent over HTTP', () => {
  it.each(['POST', 'GET'] as const)('over %s is BAD_USER_INPUT (HTTP 400) naming the WebSocket URL and protocol', async (method) => {
    const answer = await send(system.gatewayUrl, merchant.apiKey, { query: WATCH }, method);
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    const host = new URL(system.gatewayUrl).host;
    expect(answer.body.errors![0]!.message).toContain(`ws://${host}/graphql`);
    expect(answer.body.errors![0]!.message).toContain('graphql-transport-ws');
    expect(internalErrors()).toEqual([]);
  });

  it('a query beside a subscription in one document still runs when it is the operation chosen', async () => {
    const answer = await send(system.gatewayUrl, merchant.apiKey, { query: `${VIEWER}\n${WATCH}`, operationName: 'Viewer' });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });
});

describe.runIf(redisServerAvailable() || redisServerRequired())('automatic persisted queries across two gateway replicas sharing Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  const replicas: RunningServer[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    for (let replica = 0; replica < 2; replica++) replicas.push(await system.startGateway({ REDIS_URL: redis.url }, null));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await redis?.stop();
  });

  it('a query registered through one replica runs by its hash alone on the other', async () => {
    const query = `${VIEWER} # ${Math.random()}`;
    const [a, b] = replicas.map((replica) => replica.url) as [string, string];
    expect(codes(await send(b, merchant.apiKey, hashOnly(query)))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await send(a, merchant.apiKey, withText(query))).body.errors).toBeUndefined();
    // Apollo stores the query in the cache after answering, without waiting for the write: poll.
    const onB = await eventually(() => send(b, merchant.apiKey, hashOnly(query)), (answer) => answer.body.errors === undefined);
    expect(onB.body).toEqual({ data: { viewer: { role: 'MERCHANT', merchant: { name: 'Persisted queries' } } } });
    expect(internalErrors()).toEqual([]);
  });
});

describe('automatic persisted queries while Redis is unreachable', () => {
  it('a hash is a miss (PERSISTED_QUERY_NOT_FOUND), never an internal error, and the query sent with it runs', async () => {
    const gateway = await system.startGateway({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` }, null);
    try {
      const query = `${VIEWER} # ${Math.random()}`;
      expect(codes(await send(gateway.url, merchant.apiKey, hashOnly(query)))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect((await send(gateway.url, merchant.apiKey, withText(query))).body.errors).toBeUndefined();
      expect(codes(await send(gateway.url, merchant.apiKey, hashOnly(query)))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect(internalErrors()).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});

describe('a safelist in production mode (PERSISTED_OPERATIONS_ONLY)', () => {
  const REGISTERED_QUERY = 'query Viewer {\n  viewer {\n    role\n  }\n}';
  const operations = [
    { id: sha256(REGISTERED_QUERY), name: 'Viewer', type: 'query', body: REGISTERED_QUERY },
    { id: sha256(WATCH), name: 'Watch', type: 'subscription', body: WATCH },
  ];
  let gateway: RunningServer;
  let manifestPath: string;
  const clients: SubscriptionClient[] = [];
  beforeAll(async () => {
    manifestPath = join(system.dataDir, 'persisted-operations.json');
    writeFileSync(manifestPath, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }));
    gateway = await system.startGateway(
      { NODE_ENV: 'production', PERSISTED_OPERATIONS_FILE: manifestPath, PERSISTED_OPERATIONS_ONLY: 'true' },
      system.transport,
    );
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await gateway?.close();
  });
  const ws = (apiKey: string) => {
    const client = subscriptionClient({ ...system, gatewayUrl: gateway.url }, apiKey);
    clients.push(client);
    return client;
  };

  it('a registered operation runs by its id alone, over POST and GET, and by its identical text', async () => {
    for (const answer of [
      await send(gateway.url, merchant.apiKey, hashOnly(REGISTERED_QUERY)),
      await send(gateway.url, merchant.apiKey, hashOnly(REGISTERED_QUERY), 'GET'),
      await send(gateway.url, merchant.apiKey, { query: REGISTERED_QUERY }),
      await send(gateway.url, merchant.apiKey, withText(REGISTERED_QUERY)),
    ]) {
      expect(answer.body).toEqual({ data: { viewer: { role: 'MERCHANT' } } });
    }
  });

  it('anything else is PERSISTED_QUERY_NOT_ALLOWED (HTTP 400): other text, the same query written otherwise, an unknown id, none at all', async () => {
    for (const request of [
      { query: VIEWER },
      { query: REGISTERED_QUERY.replace(/\n\s*/g, ' ') },
      withText(VIEWER),
      hashOnly(VIEWER),
      { query: REGISTERED_QUERY.replace('role', 'role __typename') },
      { extensions: {} },
      { query: { kind: 'Document' } },
    ]) {
      const answer = await send(gateway.url, merchant.apiKey, request);
      expect({ request, status: answer.status, codes: codes(answer) }).toEqual({ request, status: 400, codes: ['PERSISTED_QUERY_NOT_ALLOWED'] });
    }
    const batch = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${merchant.apiKey}` },
      body: JSON.stringify([{ query: REGISTERED_QUERY }, { query: VIEWER }]),
    });
    expect(batch.status).toBe(400);
    expect(internalErrors()).toEqual([]);
  });

  it('registers nothing: a query sent with its hash is refused, and its hash stays unknown', async () => {
    const query = `${VIEWER} # ${Math.random()}`;
    expect(codes(await send(gateway.url, merchant.apiKey, withText(query)))).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(codes(await send(gateway.url, merchant.apiKey, hashOnly(query)))).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
  });

  it('an ADMIN key (the operator\'s explorer) is not held to the list; automatic persisted queries register nothing for it either', async () => {
    const query = `${VIEWER} # ${Math.random()}`;
    expect((await send(gateway.url, system.adminKey, { query })).body).toEqual({ data: { viewer: { role: 'ADMIN', merchant: null } } });
    expect(codes(await send(gateway.url, system.adminKey, hashOnly(query)))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await send(gateway.url, system.adminKey, withText(query))).body.errors).toBeUndefined();
    expect(codes(await send(gateway.url, system.adminKey, hashOnly(query)))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('over WebSocket, a registered subscription is admitted and any other is PERSISTED_QUERY_NOT_ALLOWED', async () => {
    const client = ws(merchant.apiKey);
    const refused = client.subscribe('subscription Other { paymentStatusChanged { paymentId } }');
    await refused.ended();
    expect(refused.error).toEqual([expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } })]);

    const admitted = client.subscribe(WATCH);
    // payments made through the system's own gateway (no safelist) until the subscriber hears one
    await live(system, admitted, merchant.apiKey);
    expect(admitted.results[0]).toEqual({ data: { paymentStatusChanged: { paymentId: expect.any(String), status: 'REQUIRES_CONFIRMATION' } } });
  });

  it('a manifest that is not valid stops the gateway from starting, naming what is wrong', async () => {
    const bad = join(system.dataDir, 'bad-persisted-operations.json');
    writeFileSync(bad, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ ...operations[0], id: sha256('other') }] }));
    await expect(system.startGateway({ NODE_ENV: 'production', PERSISTED_OPERATIONS_FILE: bad, PERSISTED_OPERATIONS_ONLY: 'true' }, null)).rejects.toThrow(
      /operations\.0 \(Viewer\): id is not the SHA-256 of body/,
    );
    await expect(system.startGateway({ PERSISTED_OPERATIONS_ONLY: 'true' }, null)).rejects.toThrow(/PERSISTED_OPERATIONS_ONLY: needs PERSISTED_OPERATIONS_FILE/);
  });
});

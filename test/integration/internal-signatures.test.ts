import { createHash, createHmac } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../lib/http-server.js';
import { signedRouteHeaders } from '../../lib/internal-client.js';
import { PRINCIPAL_HEADER, SIGNATURE_HEADER, signedJsonHeaders } from '../../lib/internal-signature.js';
import { createRedisNonceStore, nonceKey, type NonceStore } from '../../lib/nonce-store.js';
import { encodePrincipal } from '../../lib/principal.js';
import { statementRoute } from '../../subgraphs/transaction/contract/internal-routes.js';
import { redisServerAvailable, redisServerRequired, startRedisServer } from '../../tools/redis-server.js';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from '../support/fault-proxy.js';
import { expectNoErrors, gatewayClient } from '../support/graphql.js';
import { startSystem, type System } from '../support/system.js';

const admin = encodePrincipal({ role: 'ADMIN', merchantId: null, keyId: null });
const serviceQuery = JSON.stringify({ query: '{ _service { sdl } }' });

/** A request as it went over the wire, sent again with its principal and signature to `url`. */
async function resend(url: string, captured: Pick<ProxiedRequest, 'method' | 'headers' | 'body'>, method = captured.method) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const name of [PRINCIPAL_HEADER, SIGNATURE_HEADER]) {
    const value = captured.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const response = await fetch(url, { method, headers, body: captured.body });
  const text = await response.text();
  return { status: response.status, text };
}

/** What a subgraph answers a refused signature: 401, UNAUTHENTICATED, the reason in the message. */
function refusal({ status, text }: { status: number; text: string }) {
  const json = JSON.parse(text) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
  expect(json.data).toBeUndefined();
  const [error] = json.errors;
  return { status, code: error!.extensions.code, reason: /internal signature (\w+)/.exec(error!.message)?.[1] };
}

const refused = (reason: string) => ({ status: 401, code: 'UNAUTHENTICATED', reason });

/** `{ _service { sdl } }` as an ADMIN, signed as the gateway signs for the accounting subgraph's /graphql (or for `method`). */
const signedServiceQuery = (secret: string, method = 'POST') => ({
  method: 'POST',
  headers: signedJsonHeaders(secret, { method, service: 'accounting', path: '/graphql', principal: admin, body: serviceQuery }),
  body: serviceQuery,
});

describe('a signed request is accepted by one service, at one method and path, once', () => {
  let system: System;
  let proxy: FaultProxy;
  let gateway: RunningServer;

  beforeAll(async () => {
    system = await startSystem();
    // a gateway whose calls to the payment subgraph go through a recording pass-through
    proxy = await startFaultProxy(system.paymentUrl);
    gateway = await system.startGateway({ PAYMENT_SUBGRAPH_URL: proxy.url }, null);
  });
  afterAll(async () => {
    await gateway?.close();
    await proxy?.close();
    await system?.stop();
  });

  /** what the gateway sent to the payment subgraph for a merchant's query, and was answered */
  async function capturedGraphQLRequest(): Promise<ProxiedRequest> {
    const { apiKey } = await system.seedMerchant('Signature merchant');
    const viewer = expectNoErrors(await gatewayClient(gateway.url)<{ viewer: { role: string } }>(apiKey, '{ viewer { role } }'));
    expect(viewer.viewer.role).toBe('MERCHANT');
    const captured = proxy.requests.findLast((request) => request.path === '/graphql' && request.body.includes('viewer'));
    expect(captured?.answer).toBe(200);
    expect(captured!.headers[SIGNATURE_HEADER]).toMatch(/^t=\d+,n=[A-Za-z0-9_-]{22},v2=[0-9a-f]{64}$/);
    return captured!;
  }

  it('the gateway’s request replayed to the same subgraph is refused as replayed', async () => {
    const captured = await capturedGraphQLRequest();
    expect(refusal(await resend(`${system.paymentUrl}/graphql`, captured))).toEqual(refused('replayed'));
  });

  it('the gateway’s request sent to another subgraph is refused as a mismatch, on each of them', async () => {
    const captured = await capturedGraphQLRequest();
    for (const url of [system.accounting.url, system.transaction.url, system.analytics.url]) {
      expect(refusal(await resend(`${url}/graphql`, captured))).toEqual(refused('mismatch'));
    }
  });

  it('the gateway’s request sent to another path or query string of the same subgraph is refused as a mismatch', async () => {
    const captured = await capturedGraphQLRequest();
    expect(refusal(await resend(`${system.paymentUrl}/internal/payment-status-events`, captured))).toEqual(refused('mismatch'));
    expect(refusal(await resend(`${system.paymentUrl}/graphql?operation=other`, captured))).toEqual(refused('mismatch'));
  });

  it('the gateway’s key lookup (an internal route) replayed is refused as replayed', async () => {
    await capturedGraphQLRequest();
    const lookup = proxy.requests.findLast((request) => request.path === '/internal/principal' && request.answer === 200);
    expect(lookup).toBeDefined();
    expect(refusal(await resend(`${system.paymentUrl}/internal/principal`, lookup!))).toEqual(refused('replayed'));
  });

  it('a request signed for another method is refused as a mismatch', async () => {
    expect(refusal(await resend(`${system.accounting.url}/graphql`, signedServiceQuery(system.internalSecret, 'GET')))).toEqual(refused('mismatch'));
  });

  it('a request signed in the old v1 form, with the right secret, is refused as malformed', async () => {
    const t = Date.now();
    const digest = createHash('sha256').update(serviceQuery).digest('hex');
    const v1 = createHmac('sha256', system.internalSecret).update(`${t}.${admin}.${digest}`).digest('hex');
    const headers = { [PRINCIPAL_HEADER]: admin, [SIGNATURE_HEADER]: `t=${t},v1=${v1}` };
    expect(refusal(await resend(`${system.accounting.url}/graphql`, { method: 'POST', headers, body: serviceQuery }))).toEqual(refused('malformed'));
  });

  it('a statement request signed once is streamed once; again, it is refused as replayed', async () => {
    const body = JSON.stringify({ from: '2026-01-01', to: '2026-01-02' });
    const merchant = encodePrincipal({ role: 'MERCHANT', merchantId: 'mer_signature', keyId: 'key_signature' });
    const signed = { method: 'POST', headers: signedRouteHeaders(statementRoute, system.internalSecret, merchant, body), body };
    const url = `${system.transaction.url}${statementRoute.path}`;
    expect((await resend(url, signed)).status).toBe(200);
    expect(refusal(await resend(url, signed))).toEqual(refused('replayed'));
  });

  it('each refusal is quick and leaves the subgraph serving signed requests', async () => {
    const answer = await resend(`${system.accounting.url}/graphql`, signedServiceQuery(system.internalSecret));
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('sdl');
  });
});

const runs = redisServerAvailable() || redisServerRequired();

describe.runIf(runs)('replicas of a subgraph share the nonces through Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let nonces: NonceStore;
  let system: System;

  beforeAll(async () => {
    redis = await startRedisServer({ persistence: 'none' });
    nonces = createRedisNonceStore({ url: redis.url });
    system = await startSystem({ accountingReplicas: 2, noncesFor: () => nonces });
  });
  afterAll(async () => {
    await system?.stop();
    await nonces?.close();
    await redis?.stop();
  });

  it('a request accepted by one accounting replica is refused by the other as replayed', async () => {
    const [first, second] = system.accountingReplicas;
    const signed = signedServiceQuery(system.internalSecret);
    const accepted = await resend(`${first!.url}/graphql`, signed);
    expect(accepted.status).toBe(200);
    expect(refusal(await resend(`${second!.url}/graphql`, signed))).toEqual(refused('replayed'));
    expect(refusal(await resend(`${first!.url}/graphql`, signed))).toEqual(refused('replayed'));
  });

  it('keeps each nonce under the service’s name, only until its signature is stale', async () => {
    const client = new Redis(redis.url);
    try {
      const signed = signedServiceQuery(system.internalSecret);
      expect((await resend(`${system.accountingReplicas[1]!.url}/graphql`, signed)).status).toBe(200);
      const nonce = /n=([^,]+)/.exec(signed.headers[SIGNATURE_HEADER]!)![1]!;
      const ttl = await client.pttl(nonceKey(`accounting:${nonce}`));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30_001);
      // the gateway's calls to other subgraphs are kept under their names
      await system.query(system.adminKey, '{ viewer { role } }');
      expect((await client.keys(nonceKey('payment:*'))).length).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });

  it('while Redis is down, each replica keeps refusing what it saw itself, and answers no 500', async () => {
    await redis.kill();
    const [first] = system.accountingReplicas;
    const signed = signedServiceQuery(system.internalSecret);
    expect((await resend(`${first!.url}/graphql`, signed)).status).toBe(200);
    expect(refusal(await resend(`${first!.url}/graphql`, signed))).toEqual(refused('replayed'));
  });
});

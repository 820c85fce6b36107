import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from 'graphql-ws';
import type { EventTransport } from '../../lib/events/event.js';
import { createRedisTransport } from '../../lib/events/redis-transport.js';
import type { RunningServer } from '../../lib/http-server.js';
import { redisServerAvailable, redisServerRequired, startRedisServer } from '../../tools/redis-server.js';
import { apiKeyClient, codeOf } from '../support/api-keys.js';
import { eventually } from '../support/eventually.js';
import { expectNoErrors, gatewayClient } from '../support/graphql.js';
import { issueApiKey } from '../support/payments.js';
import { live, subscriptionClient, type SubscriptionClient } from '../support/subscriptions.js';
import { startSystem, type System } from '../support/system.js';

const WATCH = 'subscription { paymentStatusChanged { cursor paymentId status } }';
/** A key's cache entry outlives every test here: whatever a test sees at once, no TTL did. */
const NO_TTL = { API_KEY_CACHE_TTL: '1h' };

let system: System;
let keys: ReturnType<typeof apiKeyClient>;
const clients: SubscriptionClient[] = [];
const gateways: RunningServer[] = [];

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: NO_TTL });
  keys = apiKeyClient(system);
});
afterAll(async () => {
  for (const client of clients) await client.close();
  for (const gateway of gateways) await gateway.close();
  await system?.stop();
});

const subscribe = (apiKey: string, gatewayUrl = system.gatewayUrl) => {
  const client = subscriptionClient({ ...system, gatewayUrl }, apiKey);
  clients.push(client);
  return client.subscribe(WATCH);
};
// the statements as the ORM logs them: `[query] select ...`
const updatesOfKeys = () => system.paymentQueries.filter((sql) => /update\s+\S*api_keys\S*\s+set\b/i.test(sql)).length;
const lookupsOfKeys = () => system.paymentQueries.filter((sql) => /select\s.*\bfrom\s+\S*api_keys\S*\s.*key_hash/is.test(sql)).length;

describe('API keys: listing', () => {
  it('ADMIN lists every key or one merchant’s, a MERCHANT its own merchant’s; ANALYST keys are FORBIDDEN, no key UNAUTHENTICATED', async () => {
    const a = await system.seedMerchant('Lister A');
    const b = await system.seedMerchant('Lister B');
    const analystOfA = await issueApiKey(system, 'ANALYST', a.merchantId);
    const platformAnalyst = await issueApiKey(system, 'ANALYST');

    const every = expectNoErrors(await keys.list(system.adminKey)).apiKeys;
    const ofA = expectNoErrors(await keys.list(system.adminKey, a.merchantId)).apiKeys;
    expect(ofA.map((key) => key.role)).toEqual(['ANALYST', 'MERCHANT']);
    expect(ofA.every((key) => key.merchant?.id === a.merchantId && key.revokedAt === null && key.expiresAt === null)).toBe(true);
    for (const key of [...ofA, ...expectNoErrors(await keys.list(system.adminKey, b.merchantId)).apiKeys]) expect(every.map((k) => k.id)).toContain(key.id);
    expect(every.some((key) => key.role === 'ANALYST' && key.merchant === null)).toBe(true);
    expect(await keys.find(a.apiKey, a.merchantId)).toMatchObject({ prefix: a.apiKey.slice(0, 10), role: 'MERCHANT' });

    const asMerchant = await keys.list(a.apiKey);
    expect(expectNoErrors(asMerchant).apiKeys.map((key) => key.id)).toEqual(ofA.map((key) => key.id));
    expect(JSON.stringify(asMerchant)).not.toContain(a.apiKey);
    expect(expectNoErrors(await keys.list(a.apiKey, a.merchantId)).apiKeys).toHaveLength(2);
    expect(codeOf(await keys.list(a.apiKey, b.merchantId))).toBe('FORBIDDEN');
    expect(codeOf(await keys.list(analystOfA))).toBe('FORBIDDEN');
    expect(codeOf(await keys.list(platformAnalyst))).toBe('FORBIDDEN');
    expect(codeOf(await keys.list(null))).toBe('UNAUTHENTICATED');
  });
});

describe('API keys: revoking', () => {
  it('a revoked key is UNAUTHENTICATED on its next request, at once, and its open subscription ends with 4403', async () => {
    const { merchantId, apiKey: owner } = await system.seedMerchant('Revoker');
    const leaked = await issueApiKey(system, 'MERCHANT', merchantId);
    expect(await keys.refusalOf(leaked)).toBeUndefined(); // cached by the gateway now, for an hour
    const watching = subscribe(leaked);
    await live(system, watching, leaked);
    const { id } = await keys.find(leaked, merchantId);

    const revoked = expectNoErrors(await keys.revoke(owner, id)).revokeApiKey;
    expect(revoked).toMatchObject({ id, revokedAt: expect.any(String) });
    expect(await keys.refusalOf(leaked)).toBe('UNAUTHENTICATED');
    await watching.ended();
    expect((watching.error as { code?: number }).code).toBe(CloseCode.Forbidden);
    // and a new connection with it is refused as any bad key is
    const again = subscribe(leaked);
    await again.ended();
    expect((again.error as { code?: number }).code).toBe(CloseCode.Forbidden);

    expect(await keys.refusalOf(owner)).toBeUndefined();
    expect(expectNoErrors(await keys.revoke(system.adminKey, id)).revokeApiKey.revokedAt).toBe(revoked.revokedAt);
    expect(codeOf(await keys.roll(owner, id))).toBe('BAD_USER_INPUT');
  });

  it('another merchant’s key is NOT_FOUND (revoke and roll), as is an unknown id; an ANALYST key may not revoke', async () => {
    const a = await system.seedMerchant('Neighbour A');
    const b = await system.seedMerchant('Neighbour B');
    const analystOfB = await issueApiKey(system, 'ANALYST', b.merchantId);
    const { id } = await keys.find(b.apiKey, b.merchantId);
    expect(codeOf(await keys.revoke(a.apiKey, id))).toBe('NOT_FOUND');
    expect(codeOf(await keys.roll(a.apiKey, id))).toBe('NOT_FOUND');
    expect(codeOf(await keys.revoke(a.apiKey, 'key_does_not_exist'))).toBe('NOT_FOUND');
    expect(codeOf(await keys.revoke(system.adminKey, 'key_does_not_exist'))).toBe('NOT_FOUND');
    expect(codeOf(await keys.revoke(analystOfB, id))).toBe('FORBIDDEN');
    expect(await keys.refusalOf(b.apiKey)).toBeUndefined();
    expect((await keys.find(b.apiKey, b.merchantId)).revokedAt).toBeNull();
  });
});

describe('API keys: rolling', () => {
  it('with 0 (the default): a new key of the same role and merchant; the old one is UNAUTHENTICATED at once', async () => {
    const { merchantId, apiKey: old } = await system.seedMerchant('Roller now');
    expect(await keys.refusalOf(old)).toBeUndefined();
    const { id } = await keys.find(old, merchantId);
    const rolled = expectNoErrors(await keys.roll(old, id)).rollApiKey;
    expect(rolled).toMatchObject({ role: 'MERCHANT', merchant: { id: merchantId } });
    expect(rolled.apiKey).not.toBe(old);
    expect(await keys.refusalOf(old)).toBe('UNAUTHENTICATED');
    expect(expectNoErrors(await system.query<{ viewer: { merchant: { id: string } } }>(rolled.apiKey, '{ viewer { merchant { id } } }')).viewer.merchant.id).toBe(merchantId);
    const listed = expectNoErrors(await keys.list(rolled.apiKey)).apiKeys;
    expect(listed).toHaveLength(2);
    expect(Date.parse(listed.find((key) => key.id === id)!.expiresAt!)).toBeLessThanOrEqual(system.clock.now().getTime());
  });

  it('with a grace: the old key keeps working until it expires, then is UNAUTHENTICATED (the clock moved, no waiting)', async () => {
    const { merchantId, apiKey: old } = await system.seedMerchant('Roller later');
    const analyst = await issueApiKey(system, 'ANALYST', merchantId);
    const { id } = await keys.find(analyst, merchantId);
    const rolled = expectNoErrors(await keys.roll(system.adminKey, id, 3600)).rollApiKey;
    expect(rolled).toMatchObject({ role: 'ANALYST', merchant: { id: merchantId } });
    const expiresAt = Date.parse((await keys.find(analyst, merchantId)).expiresAt!);
    expect(expiresAt - system.clock.now().getTime()).toBeGreaterThan(3_500_000);
    expect(await keys.refusalOf(analyst)).toBeUndefined();
    expect(await keys.refusalOf(rolled.apiKey)).toBeUndefined();

    // a second roll never lengthens the grace the first gave
    const again = expectNoErrors(await keys.roll(old, id, 604_800)).rollApiKey;
    expect(Date.parse((await keys.find(analyst, merchantId)).expiresAt!)).toBe(expiresAt);

    system.clock.advance(3_601_000);
    expect(await keys.refusalOf(analyst)).toBe('UNAUTHENTICATED');
    expect(await keys.refusalOf(rolled.apiKey)).toBeUndefined();
    expect(await keys.refusalOf(again.apiKey)).toBeUndefined();
    expect(codeOf(await keys.roll(old, id))).toBe('BAD_USER_INPUT');
  });

  it('expiresInSeconds outside 0..604800 is BAD_USER_INPUT, and the key is left as it was', async () => {
    const { merchantId, apiKey } = await system.seedMerchant('Roller out of range');
    const { id } = await keys.find(apiKey, merchantId);
    for (const seconds of [-1, 604_801]) {
      const refused = await keys.roll(apiKey, id, seconds);
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0]?.message).toMatch(/expiresInSeconds/);
    }
    expect(await keys.find(apiKey, merchantId)).toMatchObject({ expiresAt: null, revokedAt: null });
    expect(expectNoErrors(await keys.list(apiKey)).apiKeys).toHaveLength(1);
  });
});

describe('API keys: lastUsedAt', () => {
  it('is set after a use, written at most once a minute per key however often the key is looked up', async () => {
    // a gateway that caches no key: each request below is a lookup
    const uncached = await system.startGateway({ API_KEY_CACHE_TTL: '0ms' }, system.transport);
    gateways.push(uncached);
    const viaUncached = gatewayClient(uncached.url);
    const { merchantId, apiKey } = await system.seedMerchant('Last used');
    expect((await keys.find(apiKey, merchantId)).lastUsedAt).toBeNull();

    const [updatesBefore, lookupsBefore] = [updatesOfKeys(), lookupsOfKeys()];
    for (let request = 0; request < 20; request++) expectNoErrors(await viaUncached(apiKey, '{ viewer { role } }'));
    const used = await eventually(() => keys.find(apiKey, merchantId), (key) => key.lastUsedAt !== null, { what: 'lastUsedAt set' });
    expect(Math.abs(Date.parse(used.lastUsedAt!) - system.clock.now().getTime())).toBeLessThan(60_000);
    expect(lookupsOfKeys() - lookupsBefore).toBeGreaterThanOrEqual(20);
    expect(updatesOfKeys() - updatesBefore).toBe(1);

    system.clock.advance(61_000);
    expectNoErrors(await viaUncached(apiKey, '{ viewer { role } }'));
    await eventually(() => keys.find(apiKey, merchantId), (key) => key.lastUsedAt !== used.lastUsedAt, { what: 'lastUsedAt moved' });
    expect(updatesOfKeys() - updatesBefore).toBe(2);
  });
});

describe('API keys: the other consumers of the payment stream', () => {
  it('apply none of the api_key events and dead-letter none of them', async () => {
    const { merchantId, apiKey } = await system.seedMerchant('Quiet consumers');
    const spare = await issueApiKey(system, 'MERCHANT', merchantId);
    expectNoErrors(await keys.revoke(apiKey, (await keys.find(spare, merchantId)).id));
    expectNoErrors(await keys.roll(apiKey, (await keys.find(apiKey, merchantId)).id, 60));
    for (const subgraph of [system.accounting, system.transaction, system.analytics]) {
      await subgraph.events.catchUp();
      expect(await subgraph.events.deadLetters()).toEqual({});
    }
  });
});

describe.runIf(redisServerAvailable() || redisServerRequired())('API keys across two gateway replicas sharing Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let replicated: System;
  const transports: EventTransport[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    replicated = await startSystem({
      gatewayReplicas: 2,
      gatewayEnv: NO_TTL,
      transportFor: () => {
        const transport = createRedisTransport({ url: redis.url, claimIdleMs: 500, blockMs: 100 });
        transports.push(transport);
        return transport;
      },
    });
  });
  afterAll(async () => {
    await replicated?.stop();
    for (const transport of transports) await transport.close();
    await redis?.stop();
  });

  it('a key revoked or rolled through one replica stops working on the other, its subscription there closed with 4403, without waiting for the TTL', async () => {
    const [onA, onB] = replicated.gatewayUrls.map((url) => apiKeyClient(replicated, url)) as [ReturnType<typeof apiKeyClient>, ReturnType<typeof apiKeyClient>];
    const { merchantId, apiKey: owner } = await replicated.seedMerchant('Two gateways');
    const leaked = await issueApiKey(replicated, 'MERCHANT', merchantId);
    expect(await onB.refusalOf(leaked)).toBeUndefined(); // replica B caches it for an hour
    const client = subscriptionClient({ ...replicated, gatewayUrl: replicated.gatewayUrls[1]! }, leaked);
    clients.push(client);
    const watching = client.subscribe(WATCH);
    await live(replicated, watching, leaked);

    const started = Date.now();
    expectNoErrors(await onA.revoke(owner, (await onA.find(leaked, merchantId)).id));
    await eventually(() => onB.refusalOf(leaked), (code) => code === 'UNAUTHENTICATED', { what: 'the revoked key refused on replica B' });
    await watching.ended();
    expect((watching.error as { code?: number }).code).toBe(CloseCode.Forbidden);

    expect(await onB.refusalOf(owner)).toBeUndefined();
    const rolled = expectNoErrors(await onA.roll(owner, (await onA.find(owner, merchantId)).id)).rollApiKey;
    await eventually(() => onB.refusalOf(owner), (code) => code === 'UNAUTHENTICATED', { what: 'the rolled key refused on replica B' });
    expect(await onB.refusalOf(rolled.apiKey)).toBeUndefined();
    // well within the hour the replicas would otherwise trust their cache
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

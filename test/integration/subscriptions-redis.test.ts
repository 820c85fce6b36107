import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventTransport } from '../../lib/events/event.js';
import { createRedisTransport } from '../../lib/events/redis-transport.js';
import { eventually } from '../support/eventually.js';
import { confirm, createPayment, TEST_CARDS } from '../support/payments.js';
import { redisServerAvailable, redisServerRequired, startRedisServer } from '../../tools/redis-server.js';
import { events, live, positionOf, statusEventPositions, subscriptionClient, type SubscriptionClient } from '../support/subscriptions.js';
import { startSystem, type System } from '../support/system.js';

const runs = redisServerAvailable() || redisServerRequired();
const WATCH = 'subscription($after: String) { paymentStatusChanged(after: $after) { cursor paymentId status payment { fee { amount } } } }';
let redis: Awaited<ReturnType<typeof startRedisServer>>;
let system: System;
const transports: EventTransport[] = [];
const clients: SubscriptionClient[] = [];

describe.runIf(runs)('subscriptions across two gateway replicas sharing Redis', () => {
  beforeAll(async () => {
    redis = await startRedisServer();
    system = await startSystem({
      gatewayReplicas: 2,
      transportFor: () => {
        const transport = createRedisTransport({ url: redis.url, claimIdleMs: 500, blockMs: 100 });
        transports.push(transport);
        return transport;
      },
    });
  });
  afterAll(async () => {
    for (const opened of clients) await opened.close();
    await system?.stop();
    for (const transport of transports) await transport.close();
    await redis?.stop();
  });

  const on = (replica: number, apiKey: string) => {
    const opened = subscriptionClient({ ...system, gatewayUrl: system.gatewayUrls[replica]! }, apiKey);
    clients.push(opened);
    return opened;
  };

  it('a change made through one replica reaches subscribers on the other', async () => {
    const { apiKey } = await system.seedMerchant('Two replicas');
    const onB = on(1, apiKey).subscribe(WATCH);
    await live(system, onB, apiKey);
    const payment = await createPayment(system, apiKey);
    await confirm(system, apiKey, payment.id);
    const received = await eventually(async () => events(onB, payment.id), (found) => found.at(-1)?.status === 'SUCCEEDED');
    expect(received.map((event) => event.status)).toEqual(['REQUIRES_CONFIRMATION', 'PROCESSING', 'SUCCEEDED']);
  });

  it('a client that disconnects from one replica resumes on the other with every change exactly once, in order', async () => {
    const { merchantId, apiKey } = await system.seedMerchant('Roaming partner');
    const connectionA = on(0, apiKey);
    const onA = connectionA.subscribe(WATCH);
    await live(system, onA, apiKey);
    const first = await createPayment(system, apiKey);
    await confirm(system, apiKey, first.id);
    await eventually(async () => events(onA, first.id), (found) => found.at(-1)?.status === 'SUCCEEDED');
    const lastCursor: string = events(onA).at(-1).cursor;
    await connectionA.close();

    const missed = await createPayment(system, apiKey);
    await confirm(system, apiKey, missed.id, TEST_CARDS.declined);
    const onB = on(1, apiKey).subscribe(WATCH, { after: lastCursor });
    const next = await createPayment(system, apiKey);
    await confirm(system, apiKey, next.id);
    const received = await eventually(async () => events(onB), (found) => found.some((e) => e.paymentId === next.id && e.status === 'SUCCEEDED'));

    const positions = received.map((event) => positionOf(event.cursor));
    expect(positions).toEqual(await statusEventPositions(system, merchantId, positionOf(lastCursor), positions.at(-1)!));
    expect(received.filter((event) => event.paymentId === missed.id).map((event) => event.status)).toEqual(['REQUIRES_CONFIRMATION', 'PROCESSING', 'FAILED']);
    expect(onB.results.every((result) => result.errors === undefined)).toBe(true);
  });
});

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redisServerAvailable, redisServerRequired, startRedisServer } from '../../tools/redis-server.js';
import type { EventEnvelope, EventHandler, EventTransport } from './event.js';
import { createRedisTransport, streamKey } from './redis-transport.js';
import { pollUntil } from '../../test/support/eventually.js';

const available = redisServerAvailable();
if (!available && redisServerRequired()) {
  throw new Error('redis-server is required in CI: install it (apt-get install redis-server)');
}
if (!available) console.warn('Redis transport tests skipped: redis-server not found (apt-get install redis-server)');

function envelope(sequence: number, aggregateId = 'pay_1'): EventEnvelope {
  return {
    id: `payment:${aggregateId}:${sequence}`,
    source: 'payment',
    position: sequence,
    type: 'PaymentCaptured',
    aggregateType: 'Payment',
    aggregateId,
    sequence,
    occurredAt: new Date().toISOString(),
    payload: { sequence },
  };
}

const envelopes = (count: number) => Array.from({ length: count }, (_, i) => envelope(i + 1));

/** A handler that records what it handled, and the size of each batch it was handed. */
function recorder(): { handler: EventHandler; ids: string[]; batches: number[] } {
  const ids: string[] = [];
  const batches: number[] = [];
  return {
    ids,
    batches,
    handler: async (events) => {
      batches.push(events.length);
      ids.push(...events.map((event) => event.id));
      return [];
    },
  };
}

describe.skipIf(!available)('Redis Streams transport', () => {
  let server: { url: string; stop: () => Promise<void> };
  let admin: Redis;
  let transports: EventTransport[] = [];
  let stream: string;

  const transport = (options: { claimIdleMs?: number; blockMs?: number; batchSize?: number } = {}) => {
    const created = createRedisTransport({ url: server.url, claimIdleMs: 300, ...options });
    transports.push(created);
    return created;
  };
  const pendingCount = async (group: string) => ((await admin.xpending(streamKey(stream), group)) as [number])[0];
  const xackCalls = async () => Number(/cmdstat_xack:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
  const readingClients = async () => ((await admin.client('LIST')) as string).split('\n').filter((line) => line.includes('cmd=xreadgroup')).length;

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });
  afterAll(async () => {
    await admin?.quit();
    await server?.stop();
  });
  beforeEach(() => {
    stream = `test-${randomUUID()}`;
  });
  afterEach(async () => {
    await Promise.all(transports.map((t) => t.close()));
    transports = [];
  });

  it('delivers published events in order to a subscriber', async () => {
    const publisher = transport();
    const { handler, ids } = recorder();
    await transport().subscribe(stream, 'ledger', 'ledger-1', handler);
    await publisher.publish(stream, envelopes(3));
    await publisher.publish(stream, [envelope(4)]);
    await pollUntil(() => ids.length === 4);
    expect(ids).toEqual(envelopes(4).map((e) => e.id));
    await pollUntil(async () => (await pendingCount('ledger')) === 0);
  });

  it('a tail sees, in order, only what was published after it started, and leaves no group behind', async () => {
    const publisher = transport();
    await publisher.publish(stream, envelopes(2));
    const seen: string[] = [];
    const tail = await transport({ blockMs: 50 }).tail(stream, (event) => void seen.push(event.id));
    const later = Array.from({ length: 5 }, (_, i) => envelope(i + 3));
    await publisher.publish(stream, later.slice(0, 2));
    await new Promise((resolve) => setTimeout(resolve, 120));
    await publisher.publish(stream, later.slice(2));
    await pollUntil(() => seen.length === 5);
    expect(seen).toEqual(later.map((e) => e.id));
    expect(await admin.xinfo('GROUPS', streamKey(stream))).toEqual([]);
    await tail.stop();
  });

  it('delivers events published before the group existed', async () => {
    await transport().publish(stream, envelopes(5));
    const { handler, ids } = recorder();
    await transport().subscribe(stream, 'ledger', 'ledger-1', handler);
    await pollUntil(() => ids.length === 5);
    expect(ids).toEqual(envelopes(5).map((e) => e.id));
  });

  it('hands the handler the entries of one read at once, and acknowledges them with one XACK', async () => {
    await transport().publish(stream, envelopes(30));
    const acksBefore = await xackCalls();
    const { handler, ids, batches } = recorder();
    await transport({ batchSize: 20 }).subscribe(stream, 'ledger', 'ledger-1', handler);
    await pollUntil(async () => ids.length === 30 && (await pendingCount('ledger')) === 0);
    expect(ids).toEqual(envelopes(30).map((e) => e.id));
    expect(batches).toEqual([20, 10]);
    expect((await xackCalls()) - acksBefore).toBe(2);
  });

  it('acknowledges what the handler handled of a batch, and leaves the rest pending', async () => {
    await transport().publish(stream, envelopes(5));
    const handed: number[][] = [];
    await transport({ claimIdleMs: 60_000 }).subscribe(stream, 'ledger', 'ledger-1', async (events) => {
      handed.push(events.map((event) => event.sequence));
      return events.filter((event) => event.sequence % 2 === 0).map((event) => ({ event, error: new Error('not now') }));
    });
    await pollUntil(async () => handed.length === 1 && (await pendingCount('ledger')) === 2);
    expect(handed).toEqual([[1, 2, 3, 4, 5]]);
    const pending = (await admin.xpending(streamKey(stream), 'ledger', '-', '+', 10)) as [string, string, number, number][];
    const entries = (await admin.xrange(streamKey(stream), '-', '+')) as [string, string[]][];
    expect(pending.map(([id]) => entries.findIndex(([entry]) => entry === id) + 1)).toEqual([2, 4]);
  });

  it('shares a group’s events among its consumers, each event handled once', async () => {
    const first = recorder();
    const second = recorder();
    await transport({ batchSize: 10 }).subscribe(stream, 'ledger', 'ledger-1', first.handler);
    await transport({ batchSize: 10 }).subscribe(stream, 'ledger', 'ledger-2', second.handler);
    await pollUntil(async () => (await readingClients()) === 2);
    const all = Array.from({ length: 200 }, (_, i) => envelope(1, `pay_${i}`));
    const publisher = transport();
    for (let i = 0; i < all.length; i += 20) await publisher.publish(stream, all.slice(i, i + 20));
    await pollUntil(() => first.ids.length + second.ids.length === 200);
    expect([...first.ids, ...second.ids].sort()).toEqual(all.map((e) => e.id).sort());
    expect(first.ids.length).toBeGreaterThan(0);
    expect(second.ids.length).toBeGreaterThan(0);
    await pollUntil(async () => (await pendingCount('ledger')) === 0);
  });

  it('gives every event to each group', async () => {
    const ledger = recorder();
    const notifications = recorder();
    await transport().subscribe(stream, 'ledger', 'ledger-1', ledger.handler);
    await transport().subscribe(stream, 'notifications', 'notifications-1', notifications.handler);
    await transport().publish(stream, envelopes(10));
    await pollUntil(() => ledger.ids.length === 10 && notifications.ids.length === 10);
    expect(ledger.ids).toEqual(envelopes(10).map((e) => e.id));
    expect(notifications.ids).toEqual(envelopes(10).map((e) => e.id));
  });

  it('delivers again an event its handler did not handle, then acknowledges it', async () => {
    const attempts = new Map<number, number>();
    const handled: number[] = [];
    await transport().subscribe(stream, 'ledger', 'ledger-1', async (events) => {
      const unhandled = [];
      for (const event of events) {
        const attempt = (attempts.get(event.sequence) ?? 0) + 1;
        attempts.set(event.sequence, attempt);
        if (event.sequence === 2 && attempt === 1) unhandled.push({ event, error: new Error('database unavailable') });
        else handled.push(event.sequence);
      }
      return unhandled;
    });
    await transport().publish(stream, envelopes(3));
    await pollUntil(() => handled.includes(2));
    expect(handled).toEqual([1, 3, 2]);
    expect(attempts.get(2)).toBe(2);
    await pollUntil(async () => (await pendingCount('ledger')) === 0);
  });

  it('lets another consumer claim what a stopped consumer left pending', async () => {
    const stuck: string[] = [];
    const dying = await transport().subscribe(stream, 'ledger', 'ledger-1', (events) => {
      stuck.push(...events.map((event) => event.id));
      return new Promise<never>(() => {});
    });
    await transport().publish(stream, envelopes(5));
    await pollUntil(() => stuck.length > 0);
    const stopping = Date.now();
    await dying.stop();
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(await pendingCount('ledger')).toBe(5);

    const { handler, ids } = recorder();
    await transport().subscribe(stream, 'ledger', 'ledger-2', handler);
    await pollUntil(() => ids.length === 5);
    expect(ids).toEqual(envelopes(5).map((e) => e.id));
    await pollUntil(async () => (await pendingCount('ledger')) === 0);
  });

  it('stops promptly while blocked waiting for events', async () => {
    const subscription = await transport({ blockMs: 10_000, claimIdleMs: 60_000 }).subscribe(
      stream, 'ledger', 'ledger-1', recorder().handler,
    );
    await pollUntil(async () => (await readingClients()) === 1);
    const stopping = Date.now();
    await subscription.stop();
    expect(Date.now() - stopping).toBeLessThan(2000);
  });
});

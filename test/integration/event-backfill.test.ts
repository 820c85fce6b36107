import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadLetter } from '../../lib/events/dead-letters.js';
import { ACCOUNTING_EVENTS, PAYMENT_EVENTS, type EventEnvelope, type EventTransport } from '../../lib/events/event.js';
import { InboxPosition } from '../../lib/events/inbox.js';
import { OutboxEvent } from '../../lib/events/outbox.js';
import { createRedisTransport, streamKey } from '../../lib/events/redis-transport.js';
import { redisServerAvailable, redisServerRequired, startRedisServer, type RedisServer } from '../../tools/redis-server.js';
import { Journal } from '../../subgraphs/accounting/entities/Journal.js';
import { PaymentFact } from '../../subgraphs/analytics/entities/PaymentFact.js';
import { TransactionRecord } from '../../subgraphs/transaction/entities/TransactionRecord.js';
import { analyticsCaughtUp } from '../support/analytics.js';
import { settled } from '../support/accounting.js';
import { eventually, pollUntil } from '../support/eventually.js';
import { expectNoErrors } from '../support/graphql.js';
import { confirm, createPayment, refund } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';
import { recorded } from '../support/transactions.js';

const runs = redisServerAvailable() || redisServerRequired();
const GROUPS = [
  [PAYMENT_EVENTS, 'accounting'],
  [PAYMENT_EVENTS, 'transaction'],
  [PAYMENT_EVENTS, 'analytics'],
  [ACCOUNTING_EVENTS, 'transaction'],
  [ACCOUNTING_EVENTS, 'analytics'],
] as const;

describe.runIf(runs)('events through a Redis that loses its data', () => {
  let redis: RedisServer;
  let admin: Redis;
  let system: System;
  let key: string;
  const transports: EventTransport[] = [];
  /** while active, the consumers never see what Redis delivers: as if Redis had lost it after the relay's publish */
  const loss = { active: false, lost: 0 };

  const transportOf = (service: string): EventTransport => {
    const inner = createRedisTransport({ url: redis.url, claimIdleMs: 500, blockMs: 200 });
    transports.push(inner);
    if (service === 'payment' || service === 'gateway') return inner;
    return {
      ...inner,
      subscribe: (stream, group, consumer, handler, options) =>
        inner.subscribe(
          stream,
          group,
          consumer,
          async (events) => {
            if (!loss.active) return handler(events);
            loss.lost += events.length;
            return [];
          },
          options,
        ),
    };
  };

  const everyConsumerCaughtUp = async () => {
    await recorded(system);
    await analyticsCaughtUp(system);
  };
  const allPublished = () => pollUntil(async () => (await system.payment.database.fork().count(OutboxEvent, { publishedAt: null })) === 0);
  const nothingPending = () =>
    eventually(
      async () => {
        const counts = [];
        for (const [stream, group] of GROUPS) counts.push(((await admin.xpending(streamKey(stream), group).catch(() => [0])) as [number])[0]);
        return counts;
      },
      (counts) => counts.every((count) => count === 0),
      { what: 'no entry pending in any group' },
    );
  const deadLetters = async () => ({
    ...(await system.accounting.events.deadLetters()),
    ...(await system.transaction.events.deadLetters()),
    ...(await system.analytics.events.deadLetters()),
  });
  const paidAndRefunded = async (amount: string, refunded?: string) => {
    const payment = await createPayment(system, key, { amount });
    expectNoErrors(await confirm(system, key, payment.id));
    if (refunded) expectNoErrors(await refund(system, key, payment.id, { amount: refunded, currency: 'USD' }));
    return payment.id;
  };

  beforeAll(async () => {
    redis = await startRedisServer({ persistence: 'none' });
    admin = new Redis(redis.url, { lazyConnect: true });
    admin.on('error', () => undefined);
    system = await startSystem({ transportFor: (service) => transportOf(service) });
    key = (await system.seedMerchant('Backfill merchant')).apiKey;
  });
  afterAll(async () => {
    await system?.stop();
    for (const transport of transports) await transport.close();
    admin?.disconnect();
    await redis?.stop();
  });

  it('an aggregate whose first events were lost is backfilled from the producer when its next event arrives', async () => {
    const lostBefore = loss.lost;
    loss.active = true;
    const paymentId = await paidAndRefunded('40.00');
    await allPublished();
    await pollUntil(() => loss.lost >= lostBefore + 3 * 3, { what: 'the payment events lost at each of the three consumers' });
    loss.active = false;
    // its refund's events come numbered 4 and 5: each consumer fetches 1 to 3 from the payment subgraph first
    expectNoErrors(await refund(system, key, paymentId, { amount: '15.00', currency: 'USD' }));
    await settled(system);
    await everyConsumerCaughtUp();
    const journals = await system.accounting.database.fork().find(Journal, { paymentId });
    expect(journals.map((journal) => journal.type).sort()).toEqual(['capture', 'refund']);
    const records = await system.transaction.database.fork().find(TransactionRecord, { paymentId });
    expect(records.map((record) => `${record.type} ${record.status}`).sort()).toEqual(['PAYMENT SUCCEEDED', 'REFUND SUCCEEDED']);
    const fact = await system.analytics.database.fork().findOneOrFail(PaymentFact, { paymentId });
    expect([fact.status, fact.captured, fact.refunded]).toEqual(['SUCCEEDED', 4000n, 1500n]);
    expect(await deadLetters()).toEqual({});
  });

  it('Redis killed and restarted without its data: every consumer ends with every event, and nothing is redelivered forever', async () => {
    const before = await paidAndRefunded('11.00', '1.00');
    await settled(system);
    const lostBefore = loss.lost;
    loss.active = true;
    const lostIds = [await paidAndRefunded('12.00', '2.00'), await paidAndRefunded('13.00'), await paidAndRefunded('14.00', '4.00')];
    await allPublished();
    await pollUntil(() => loss.lost >= lostBefore + 3 * 13, { what: 'every event of the three payments lost at each consumer' });
    await redis.kill();
    loss.active = false;
    await redis.restart({ wipe: true });
    await admin.connect().catch(() => undefined);
    expect(await admin.exists(streamKey(PAYMENT_EVENTS))).toBe(0);
    // no later event of these payments will ever come: the consumers' sweeps on reconnecting find them in the outboxes
    await settled(system);
    await everyConsumerCaughtUp();
    const ids = [before, ...lostIds];
    const journals = await system.accounting.database.fork().find(Journal, { paymentId: { $in: ids } });
    expect(journals.filter((journal) => journal.type === 'capture')).toHaveLength(4);
    expect(journals.filter((journal) => journal.type === 'refund')).toHaveLength(3);
    const records = await system.transaction.database.fork().find(TransactionRecord, { paymentId: { $in: ids } });
    expect(records.filter((record) => record.type === 'PAYMENT' && record.fee !== 0n)).toHaveLength(4);
    expect(records.filter((record) => record.type === 'REFUND' && record.status === 'SUCCEEDED')).toHaveLength(3);
    expect(await system.analytics.database.fork().count(PaymentFact, { paymentId: { $in: ids }, status: 'SUCCEEDED' })).toBe(4);
    const verification = expectNoErrors(await system.query<{ verifyLedger: { ok: boolean } }>(system.adminKey, '{ verifyLedger { ok } }')).verifyLedger;
    expect(verification.ok).toBe(true);
    // new events flow through the recreated groups, and nothing is left pending or dead
    const after = await paidAndRefunded('15.00', '5.00');
    await settled(system);
    await everyConsumerCaughtUp();
    expect(await system.transaction.database.fork().count(TransactionRecord, { paymentId: after })).toBe(2);
    await nothingPending();
    expect(await deadLetters()).toEqual({});
    // a sweep when nothing changed applies nothing
    expect(await system.transaction.events.catchUp()).toBe(0);
  });

  it('an event that can never be applied is a dead letter, its followers are parked behind it, and a replay applies them once fixed', async () => {
    const poisoned = 'pay_poisoned';
    const event = (sequence: number, type: string, payload: Record<string, unknown>): EventEnvelope => ({
      id: `payment:poison-${sequence}`,
      source: 'payment',
      position: 1_000_000 + sequence,
      type,
      aggregateType: 'payment',
      aggregateId: poisoned,
      sequence,
      occurredAt: new Date().toISOString(),
      payload,
    });
    const publisher = createRedisTransport({ url: redis.url });
    transports.push(publisher);
    // a refund.created without its fields breaks the payment events' contract; the next one must wait for it
    await publisher.publish(PAYMENT_EVENTS, [event(1, 'refund.created', {}), event(2, 'payment.created', {})]);
    const transactionLetters = () => system.transaction.database.fork().find(DeadLetter, { aggregateId: poisoned }, { orderBy: { sequence: 'asc' } });
    const letters = await eventually(transactionLetters, (rows) => rows.length === 2, { what: 'both poisoned events dead letters of transaction' });
    expect(letters.map((row) => [row.consumer, row.sequence, row.reason])).toEqual([
      ['transaction:payment', 1, 'failed'],
      ['transaction:payment', 2, 'follows-dead-letter'],
    ]);
    expect(letters[0]!.error).toMatch(/unexpected payload/);
    await nothingPending();
    expect(await system.transaction.database.fork().count(InboxPosition, { aggregateId: poisoned })).toBeLessThanOrEqual(1);
    // fixed: the first event is one transaction does not record, and replayed in order with its follower
    await system.transaction.database.fork().nativeUpdate(DeadLetter, { eventId: 'payment:poison-1' }, { envelope: event(1, 'payment.created', {}) });
    expect(await system.transaction.events.replayDeadLetters()).toEqual({ replayed: 2, kept: 0 });
    expect(await transactionLetters()).toEqual([]);
    const position = await system.transaction.database.fork().findOneOrFail(InboxPosition, { consumer: 'transaction:payment', aggregateId: poisoned });
    expect(position.lastSequence).toBe(2);
    expect(await system.transaction.events.replayDeadLetters()).toEqual({ replayed: 0, kept: 0 });
  });
});

describe.runIf(runs)('Redis with its append-only file', () => {
  it('keeps the stream and its groups across a kill -9 and a restart', async () => {
    const redis = await startRedisServer();
    const transport = createRedisTransport({ url: redis.url });
    const admin = new Redis(redis.url);
    try {
      const events = [1, 2, 3].map((n) => ({
        id: `payment:${n}`,
        source: 'payment',
        position: n,
        type: 'payment.created',
        aggregateType: 'payment',
        aggregateId: 'pay_aof',
        sequence: n,
        occurredAt: new Date().toISOString(),
        payload: {},
      }));
      await admin.xgroup('CREATE', streamKey(PAYMENT_EVENTS), 'accounting', '0', 'MKSTREAM');
      await transport.publish(PAYMENT_EVENTS, events);
      await redis.kill();
      await redis.restart();
      expect(await eventually(() => admin.xlen(streamKey(PAYMENT_EVENTS)).catch(() => -1), (n) => n === 3)).toBe(3);
      const groups = (await admin.xinfo('GROUPS', streamKey(PAYMENT_EVENTS))) as unknown[][];
      expect(groups.map((group) => group[1])).toEqual(['accounting']);
    } finally {
      admin.disconnect();
      await transport.close();
      await redis.stop();
    }
  });
});

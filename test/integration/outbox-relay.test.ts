import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYMENT_EVENTS, type EventEnvelope } from '../../lib/events/event.js';
import { OutboxEvent } from '../../lib/events/outbox.js';
import { startOutboxRelay } from '../../lib/events/outbox-relay.js';
import { pruneOutbox } from '../../lib/events/outbox-retention.js';
import { startSystem, type System } from '../support/system.js';
import { confirm, createPayment, refund } from '../support/payments.js';
import { pollUntil } from '../support/eventually.js';

let system: System;
let key: string;
const received: EventEnvelope[] = [];

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
  await system.transport.subscribe(PAYMENT_EVENTS, 'relay-test', 'collector', async (events) => {
    received.push(...events);
    return [];
  });
});
afterAll(async () => system?.stop());

describe('the outbox relay', () => {
  it('publishes every event of a payment in order with a gapless sequence, and marks them published', async () => {
    const payment = await createPayment(system, key, { amount: '30.00' });
    await confirm(system, key, payment.id);
    await refund(system, key, payment.id, { amount: '10.00', currency: 'USD' });
    await pollUntil(() => received.filter((e) => e.aggregateId === payment.id).length === 5);
    const events = received.filter((e) => e.aggregateId === payment.id);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(events.map((e) => e.type)).toEqual(['payment.created', 'payment.status_changed', 'payment.status_changed', 'refund.created', 'refund.succeeded']);
    expect(events[0]!.id).toMatch(/^payment:\d+$/);
    const rows = await system.payment.database.fork().find(OutboxEvent, { aggregateId: payment.id });
    await pollUntil(async () => (await system.payment.database.fork().count(OutboxEvent, { aggregateId: payment.id, publishedAt: null })) === 0);
    expect(rows).toHaveLength(5);
  });

  it('after a crash between publishing and marking, the same events are published again with the same ids and sequences', async () => {
    const payment = await createPayment(system, key, { amount: '5.00' });
    await pollUntil(() => received.some((e) => e.aggregateId === payment.id));
    await pollUntil(async () => (await system.payment.database.fork().count(OutboxEvent, { aggregateId: payment.id, publishedAt: null })) === 0);
    await system.payment.database.fork().nativeUpdate(OutboxEvent, { aggregateId: payment.id }, { publishedAt: null });
    await system.payment.flushOutbox();
    await pollUntil(() => received.filter((e) => e.aggregateId === payment.id).length === 2);
    const [first, again] = received.filter((e) => e.aggregateId === payment.id);
    expect(again).toEqual(first);
  });

  it('gives every event one position, published in ascending order, also with two relays and concurrent writers', async () => {
    const second = startOutboxRelay({
      fork: () => system.payment.database.fork(),
      dialect: system.payment.database.dialect,
      transport: system.transport,
      stream: PAYMENT_EVENTS,
      source: 'payment',
    });
    try {
      const start = received.length;
      const payments = await Promise.all(Array.from({ length: 12 }, (_, i) => createPayment(system, key, { amount: `${i + 1}.00` })));
      await Promise.all(payments.map((payment) => confirm(system, key, payment.id)));
      await pollUntil(() => received.slice(start).filter((e) => payments.some((p) => p.id === e.aggregateId)).length >= 36);
      const positions = received.slice(start).map((event) => event.position);
      const firstSeen = positions.filter((position, i) => positions.indexOf(position) === i);
      expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
      const rows = await system.payment.database.fork().find(OutboxEvent, { aggregateId: { $in: payments.map((p) => p.id) } });
      expect(new Set(rows.map((row) => row.position)).size).toBe(36);
      expect(rows.every((row) => typeof row.position === 'number' && row.position > 0)).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it('pruning deletes only published events before the cutoff, as a prefix of the order, and keeps the newest', async () => {
    const payment = await createPayment(system, key);
    await pollUntil(async () => (await system.payment.database.fork().count(OutboxEvent, { publishedAt: null })) === 0);
    const em = () => system.payment.database.fork();
    const newest = await em().findOne(OutboxEvent, { position: { $ne: null } }, { orderBy: { position: 'desc' } });
    const total = await em().count(OutboxEvent, {});
    expect(await pruneOutbox(em(), new Date(0))).toBe(0);
    expect(await pruneOutbox(em(), new Date(Date.now() + 86_400_000))).toBe(total - 1);
    const left = await em().find(OutboxEvent, {});
    expect(left.map((row) => row.position)).toEqual([newest!.position]);
    expect(left[0]!.aggregateId).toBe(payment.id);
    const next = await createPayment(system, key);
    await pollUntil(async () => (await em().count(OutboxEvent, { aggregateId: next.id, publishedAt: { $ne: null } })) === 1);
    const [placed] = await em().find(OutboxEvent, { aggregateId: next.id });
    expect(placed!.position).toBe(newest!.position! + 1);
  });
});

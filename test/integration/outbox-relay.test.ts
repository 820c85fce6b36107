import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYMENT_EVENTS, type EventEnvelope } from '../../lib/events/event.js';
import { OutboxEvent } from '../../lib/outbox.js';
import { startSystem, type System } from '../support/system.js';
import { confirm, createPayment, refund } from '../support/payments.js';

let system: System;
let key: string;
const received: EventEnvelope[] = [];

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
  await system.transport.subscribe(PAYMENT_EVENTS, 'relay-test', 'collector', async (event) => void received.push(event));
});
afterAll(async () => system?.stop());

async function until(condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the outbox relay', () => {
  it('publishes every event of a payment in order with a gapless sequence, and marks them published', async () => {
    const payment = await createPayment(system, key, { amount: '30.00' });
    await confirm(system, key, payment.id);
    await refund(system, key, payment.id, { amount: '10.00', currency: 'USD' });
    await until(() => received.filter((e) => e.aggregateId === payment.id).length === 5);
    const events = received.filter((e) => e.aggregateId === payment.id);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(events.map((e) => e.type)).toEqual(['payment.created', 'payment.status_changed', 'payment.status_changed', 'refund.created', 'refund.succeeded']);
    expect(events[0]!.id).toMatch(/^payment:\d+$/);
    const rows = await system.payment.database.fork().find(OutboxEvent, { aggregateId: payment.id });
    await until(async () => (await system.payment.database.fork().count(OutboxEvent, { aggregateId: payment.id, publishedAt: null })) === 0);
    expect(rows).toHaveLength(5);
  });

  it('after a crash between publishing and marking, the same events are published again with the same ids and sequences', async () => {
    const payment = await createPayment(system, key, { amount: '5.00' });
    await until(() => received.some((e) => e.aggregateId === payment.id));
    await until(async () => (await system.payment.database.fork().count(OutboxEvent, { aggregateId: payment.id, publishedAt: null })) === 0);
    await system.payment.database.fork().nativeUpdate(OutboxEvent, { aggregateId: payment.id }, { publishedAt: null });
    await system.payment.flushOutbox();
    await until(() => received.filter((e) => e.aggregateId === payment.id).length === 2);
    const [first, again] = received.filter((e) => e.aggregateId === payment.id);
    expect(again).toEqual(first);
  });
});

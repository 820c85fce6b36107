import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAYMENT_EVENTS, type EventEnvelope } from '../../lib/events/event.js';
import { OutboxEvent } from '../../lib/events/outbox.js';
import { startOutboxRelay } from '../../lib/events/outbox-relay.js';
import { pruneOutbox } from '../../lib/events/outbox-retention.js';
import { createInProcessTransport } from '../../lib/events/in-process-transport.js';
import { trackDeliveries } from '../support/delivery-tracker.js';
import { startSystem, type System } from '../support/system.js';
import { confirm, createPayment, refund } from '../support/payments.js';
import { pollUntil } from '../support/eventually.js';

const tracker = trackDeliveries(createInProcessTransport());
let system: System;
let key: string;
const received: EventEnvelope[] = [];
const onPostgres = inject('database') === 'postgresql';

// Nothing polls within a test: the relays' safety poll and every periodic job are an hour away, so
// each event below arrives because its commit woke a relay.
const quiet = { OUTBOX_SAFETY_POLL: '1h', EVENT_BACKFILL_INTERVAL: '1h', SETTLEMENT_INTERVAL: '1h', OUTBOX_PRUNE_INTERVAL: '1h' };

beforeAll(async () => {
  system = await startSystem({ env: quiet, transportFor: () => tracker.transport });
  key = (await system.seedMerchant()).apiKey;
  await tracker.transport.subscribe(PAYMENT_EVENTS, 'relay-test', 'collector', async (events) => {
    received.push(...events);
    return [];
  });
});
afterAll(async () => {
  await system?.stop();
  await tracker.transport.close();
});

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
      transport: tracker.transport,
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

  it('at rest, the relays run no statement; the next commit wakes them', async () => {
    await createPayment(system, key);
    // every event consumed, and the last batches marked
    await pollUntil(() => tracker.quiet());
    await pollUntil(async () => (await system.payment.database.fork().count(OutboxEvent, { publishedAt: null })) === 0);
    await pollUntil(async () => (await system.accounting.database.fork().count(OutboxEvent, { publishedAt: null })) === 0);
    const before = { payment: system.paymentQueries.length, accounting: system.accountingQueries.length };
    // a window in which a relay that polls (every 25 ms before) would have run dozens of statements
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const ran = [...system.paymentQueries.slice(before.payment), ...system.accountingQueries.slice(before.accounting)];
    expect(ran, ran.join('\n')).toEqual([]);
    const next = await createPayment(system, key);
    await pollUntil(() => received.some((e) => e.aggregateId === next.id));
  });

  it('relays a batch in two statements: one places it, one marks it published', async () => {
    const from = system.paymentQueries.length;
    const payment = await createPayment(system, key);
    await pollUntil(async () => (await system.payment.database.fork().count(OutboxEvent, { aggregateId: payment.id, publishedAt: { $ne: null } })) === 1);
    // the relay's statements (the request's own insert and this test's count are not)
    const relayed = system.paymentQueries.slice(from).filter((sql) => /update\W+(?:payment\W+)?outbox\W/.test(sql));
    expect(relayed, relayed.join('\n')).toHaveLength(2);
  });

  it.runIf(onPostgres)('a commit made around the ORM (raw SQL) wakes the relay through the outbox trigger', async () => {
    const id = await insertRawEvent((await publishedPayment()).id);
    await pollUntil(() => received.some((e) => e.id === `payment:${id}`));
  });

  it.runIf(onPostgres)('after its LISTEN connection drops, a relay listens again and publishes what was committed meanwhile, in ascending order with a second replica', async () => {
    const second = startOutboxRelay({
      fork: () => system.payment.database.fork(),
      dialect: system.payment.database.dialect,
      databaseUrl: system.databaseUrl,
      transport: tracker.transport,
      stream: PAYMENT_EVENTS,
      source: 'payment',
      safetyPollMs: 3_600_000,
    });
    try {
      const paid = await publishedPayment();
      const start = received.length;
      // the leader's own connection holds the advisory lock: drop it, and commit while no relay listens
      const client = new pg.Client({ connectionString: system.databaseUrl });
      await client.connect();
      let id: number;
      try {
        const killed = await client.query<{ pid: number }>(
          `select pg_terminate_backend(pid) as ok, pid from ${PAYMENT_LEADER}`,
        );
        expect(killed.rows).toHaveLength(1);
        id = await insertRawEvent(paid.id, client);
      } finally {
        await client.end();
      }
      const payments = await Promise.all(Array.from({ length: 6 }, (_, i) => createPayment(system, key, { amount: `${i + 1}.00` })));
      await pollUntil(() => received.some((e) => e.id === `payment:${id}`));
      await pollUntil(() => payments.every((p) => received.slice(start).some((e) => e.aggregateId === p.id)));
      const positions = received.slice(start).map((event) => event.position);
      const firstSeen = positions.filter((position, i) => positions.indexOf(position) === i);
      expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
      await pollUntil(async () => (await lockHolders()) === 1, { what: 'a relay leads again' });
    } finally {
      await second.stop();
    }
  });

  it.runIf(!onPostgres)('the safety poll publishes a row no commit announced (written around the ORM)', async () => {
    const polling = startOutboxRelay({
      fork: () => system.payment.database.fork(),
      dialect: system.payment.database.dialect,
      transport: tracker.transport,
      stream: PAYMENT_EVENTS,
      source: 'payment',
      safetyPollMs: 200,
    });
    try {
      const id = await insertRawEvent((await publishedPayment()).id);
      await pollUntil(() => received.some((e) => e.id === `payment:${id}`));
    } finally {
      await polling.stop();
    }
  });
});

/** Inserts an outbox row with SQL of its own, as no code of the subgraph does: the ORM does not see it. */
async function insertRawEvent(aggregateId: string, client?: pg.Client): Promise<number> {
  // a copy of the payment's first event: consumers skip it as one they have applied (same aggregate and sequence)
  const copy = (table: string, p: string) =>
    `insert into ${table} (aggregate_type, aggregate_id, sequence, type, payload, occurred_at) select aggregate_type, aggregate_id, sequence, type, payload, occurred_at from ${table} where aggregate_id = ${p} and sequence = 1`;
  if (client) {
    const result = await client.query<{ id: string }>(`${copy('payment.outbox', '$1')} returning id`, [aggregateId]);
    return Number(result.rows[0]!.id);
  }
  const rows = await system.payment.database.fork().execute<{ id: number | string }[]>(`${copy(onPostgres ? 'payment.outbox' : 'outbox', '?')} returning id`, [aggregateId]);
  return Number(rows[0]!.id);
}

/** A new payment whose created event every consumer has had. */
async function publishedPayment() {
  const payment = await createPayment(system, key);
  await pollUntil(() => received.some((e) => e.aggregateId === payment.id));
  return payment;
}

/** The payment relay's connection that holds the lead (subgraphs' connections are named after them, lib/database.ts). */
const PAYMENT_LEADER = "pg_locks join pg_stat_activity using (pid) where locktype = 'advisory' and granted and application_name = 'payment' and datname = current_database()";

async function lockHolders(): Promise<number> {
  const rows = await system.payment.database.fork().execute<{ n: string }[]>(`select count(*) as n from ${PAYMENT_LEADER}`);
  return Number(rows[0]!.n);
}

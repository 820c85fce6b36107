import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineEntity, p } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase, type Database } from '../database.js';
import { InternalCallError } from '../internal-client.js';
import { DeadLetter } from './dead-letters.js';
import { missingEvents } from './catch-up.js';
import { exactlyOnce, exactlyOnceBatch, MAX_BATCH, type ExactlyOnce } from './consumer.js';
import { eventDelivery } from './delivery.js';
import { parseEventPayload } from './event-contract.js';
import type { EventEnvelope } from './event.js';
import { InboxPosition } from './inbox.js';
import type { OutboxPage } from './outbox-route.js';
import { isTransientError } from './transient-error.js';
import { EventWatermark } from './watermark.js';

let dir: string;
let database: Database;
const statements: string[] = [];
const group = { group: 'ledger', streams: ['payment-events'] };

const event = (aggregateId: string, sequence: number, payload: Record<string, unknown> = { ok: true }): EventEnvelope => ({
  id: `payment:${aggregateId}-${sequence}`,
  source: 'payment',
  position: sequence,
  type: 'payment.status_changed',
  aggregateType: 'payment',
  aggregateId,
  sequence,
  occurredAt: '2026-12-01T00:00:00.000Z',
  payload,
});

/** An effect's row: written in the transaction that applies the event, so it commits, or not, with it. */
const Effect = defineEntity({ name: 'Effect', tableName: 'effects', properties: { eventId: p.string().primary() } });

/** A consumer whose effect records what it was asked to apply and writes a row for it, and fails as `fail` says. */
function consumer(options: { fail?: (event: EventEnvelope) => Error | null; outbox?: EventEnvelope[] } = {}) {
  const applied: string[] = [];
  const exactly: ExactlyOnce = {
    ...group,
    fork: () => database.fork(),
    dialect: 'sqlite',
    apply: async (tx, delivered) => {
      parseEventPayload(z.object({ ok: z.literal(true) }), delivered);
      const failure = options.fail?.(delivered);
      if (failure) throw failure;
      applied.push(delivered.id);
      tx.create(Effect, { eventId: delivered.id });
    },
  };
  const handleEvent = exactlyOnce(exactly);
  const gaps: string[] = [];
  const { deliver, deliverBatch } = eventDelivery({
    group: group.group,
    inboxConsumer: () => group.group,
    fork: () => database.fork(),
    handleEvent,
    handleBatch: exactlyOnceBatch(exactly),
    maxBatch: MAX_BATCH,
    outboxOf: () =>
      options.outbox
        ? async (request): Promise<OutboxPage> => ({
            events: options.outbox!.filter((e) => e.aggregateId === request.aggregate?.aggregateId && e.sequence > request.aggregate.afterSequence),
            head: options.outbox!.length,
            oldest: 1,
          })
        : undefined,
    deadLetterAfter: 3,
    onGap: (source) => void gaps.push(source),
    onError: () => undefined,
    now: () => new Date(),
  });
  return { deliver, deliverBatch, applied, gaps };
}

const effectsOf = async (aggregateId: string) => (await database.fork().find(Effect, { eventId: { $like: `payment:${aggregateId}-%` } })).map((row) => row.eventId).sort();
const lettersOf = (aggregateId: string) => database.fork().find(DeadLetter, { aggregateId }, { orderBy: { sequence: 'asc' } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paygraph-delivery-'));
  database = await openDatabase({ name: 'delivery', databaseUrl: undefined, dataDir: dir, entities: [InboxPosition, DeadLetter, EventWatermark, Effect], migrations: { sqlite: [], postgresql: [] }, onQuery: (sql) => void statements.push(sql) });
  await database.orm.getSchemaGenerator().createSchema();
});
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('eventDelivery', () => {
  it('fetches the missing events of an aggregate from its producer and applies them in order before the event', async () => {
    const outbox = [event('pay_gap', 1), event('pay_gap', 2), event('pay_gap', 3)];
    const { deliver, applied, gaps } = consumer({ outbox });
    await deliver(outbox[2]!);
    expect(applied).toEqual(['payment:pay_gap-1', 'payment:pay_gap-2', 'payment:pay_gap-3']);
    expect(gaps).toEqual(['payment']);
  });

  it('keeps an event whose payload breaks its contract as a dead letter at once, and parks the later events of its aggregate', async () => {
    const { deliver, applied } = consumer({ outbox: [] });
    await deliver(event('pay_bad', 1, { ok: 'no' }));
    await deliver(event('pay_bad', 2));
    await deliver(event('pay_bad', 3));
    expect(applied).toEqual([]);
    expect((await lettersOf('pay_bad')).map((row) => [row.sequence, row.reason])).toEqual([
      [1, 'failed'],
      [2, 'follows-dead-letter'],
      [3, 'follows-dead-letter'],
    ]);
  });

  it('retries an effect that fails, and keeps it as a dead letter once it failed the same way often enough', async () => {
    const { deliver } = consumer({ fail: () => new Error('a bug') });
    const poisoned = event('pay_bug', 1);
    await expect(deliver(poisoned)).rejects.toThrow('a bug');
    await expect(deliver(poisoned)).rejects.toThrow('a bug');
    await deliver(poisoned);
    expect((await lettersOf('pay_bug')).map((row) => [row.reason, row.error])).toEqual([['failed', 'a bug (failed 3 times)']]);
  });

  it('never gives up on a transient failure', async () => {
    const unreachable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const { deliver } = consumer({ fail: () => unreachable });
    for (let i = 0; i < 5; i++) await expect(deliver(event('pay_down', 1))).rejects.toThrow('ECONNREFUSED');
    expect(await lettersOf('pay_down')).toEqual([]);
  });

  it('keeps an event whose predecessors are no longer in the outbox as a dead letter', async () => {
    const { deliver } = consumer({ outbox: [event('pay_old', 3)] });
    await deliver(event('pay_old', 3));
    expect((await lettersOf('pay_old')).map((row) => row.reason)).toEqual(['predecessors-pruned']);
  });
});

describe('eventDelivery of a batch', () => {
  it('applies a batch in one transaction, and what does not follow on from the inbox one at a time', async () => {
    const outbox = [event('bat_gap', 1), event('bat_gap', 2)];
    const { deliverBatch, applied } = consumer({ outbox });
    const statementsBefore = statements.length;
    const first = [event('bat_a', 1), event('bat_b', 1), event('bat_a', 2)];
    expect(await deliverBatch(first)).toEqual([]);
    expect(statements.slice(statementsBefore).filter((sql) => /\binbox\b/.test(sql))).toHaveLength(1);
    // redelivered with the next ones: the duplicates skipped, the new applied; the early one after its predecessor, fetched
    expect(await deliverBatch([event('bat_a', 2), event('bat_a', 3), event('bat_b', 2), event('bat_gap', 2)])).toEqual([]);
    expect(applied).toEqual(['payment:bat_a-1', 'payment:bat_b-1', 'payment:bat_a-2', 'payment:bat_b-2', 'payment:bat_a-3', 'payment:bat_gap-1', 'payment:bat_gap-2']);
    expect(await effectsOf('bat_a')).toEqual(['payment:bat_a-1', 'payment:bat_a-2', 'payment:bat_a-3']);
  });

  it('rolls a batch back when an effect fails, and applies its events one at a time: the failing one is left to be delivered again', async () => {
    let failing = true;
    const { deliverBatch } = consumer({ fail: (e) => (failing && e.aggregateId === 'fb_bad' ? new Error('a bug') : null) });
    const batch = [event('fb_ok', 1), event('fb_bad', 1), event('fb_ok', 2), event('fb_bad', 2), event('fb_other', 1)];
    const unhandled = await deliverBatch(batch);
    // fb_bad 2 came before its predecessor was applied, and there is no outbox to fetch it from
    expect(unhandled.map(({ event: e, error }) => [e.id, error instanceof Error ? error.message : error])).toEqual([
      ['payment:fb_bad-1', 'a bug'],
      ['payment:fb_bad-2', 'event payment:fb_bad-2 of fb_bad is number 2, expected 1'],
    ]);
    expect([await effectsOf('fb_ok'), await effectsOf('fb_bad'), await effectsOf('fb_other')]).toEqual([['payment:fb_ok-1', 'payment:fb_ok-2'], [], ['payment:fb_other-1']]);
    failing = false;
    expect(await deliverBatch(batch)).toEqual([]);
    expect(await effectsOf('fb_bad')).toEqual(['payment:fb_bad-1', 'payment:fb_bad-2']);
  });

  it('keeps a poisoned event of a batch as a dead letter as one at a time does, and applies the others', async () => {
    const { deliverBatch } = consumer({ outbox: [] });
    expect(await deliverBatch([event('pb_bad', 1, { ok: 'no' }), event('pb_good', 1), event('pb_bad', 2)])).toEqual([]);
    expect((await lettersOf('pb_bad')).map((row) => [row.sequence, row.reason])).toEqual([
      [1, 'failed'],
      [2, 'follows-dead-letter'],
    ]);
    expect(await effectsOf('pb_good')).toEqual(['payment:pb_good-1']);
  });

  it('applies a batch larger than its bound in several transactions', async () => {
    const { deliverBatch } = consumer();
    const many = Array.from({ length: MAX_BATCH + 5 }, (_, i) => event(`big_${i % 7}`, Math.floor(i / 7) + 1));
    const statementsBefore = statements.length;
    expect(await deliverBatch(many)).toEqual([]);
    expect(statements.slice(statementsBefore).filter((sql) => /\binbox\b/.test(sql))).toHaveLength(2);
    expect((await database.fork().find(Effect, { eventId: { $like: 'payment:big_%' } })).length).toBe(MAX_BATCH + 5);
  });
});

describe('missingEvents', () => {
  it('finds, in one statement, the events of a page neither applied nor dead letters', async () => {
    const page = [event('pay_gap', 3), event('pay_gap', 4), event('pay_bad', 1), event('pay_new', 1)];
    expect(await missingEvents(database.fork(), 'sqlite', 'ledger', page)).toEqual(new Set(['payment:pay_gap-4', 'payment:pay_new-1']));
  });
});

describe('isTransientError', () => {
  it('tells an outage from a bug', () => {
    expect(isTransientError(new InternalCallError('/internal/outbox-events', null, null, 'unreachable'))).toBe(true);
    expect(isTransientError(new InternalCallError('/internal/outbox-events', 503, null, 'unavailable'))).toBe(true);
    expect(isTransientError(new InternalCallError('/internal/outbox-events', 401, null, 'refused'))).toBe(false);
    expect(isTransientError(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true);
    expect(isTransientError(new Error('outer', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }))).toBe(true);
    expect(isTransientError(new Error('payment pay_1 was already captured'))).toBe(false);
  });
});

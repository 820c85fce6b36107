import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgresBin, startPostgresCluster, type PostgresCluster } from '../../tools/postgres-cluster.js';
import { openDatabase, type Database, type Dialect } from '../database.js';
import type { EventEnvelope } from './event.js';
import { advanceInbox, applyBatchOnce, applyOnce, EventOutOfOrder, InboxPosition, inboxPosition } from './inbox.js';

const event = (aggregateId: string, sequence: number): EventEnvelope => ({
  id: `payment:${aggregateId}-${sequence}`,
  source: 'payment',
  position: sequence,
  type: 'payment.status_changed',
  aggregateType: 'payment',
  aggregateId,
  sequence,
  occurredAt: '2026-12-01T00:00:00.000Z',
  payload: {},
});
const ids = (events: readonly EventEnvelope[]) => events.map((e) => `${e.aggregateId}#${e.sequence}`);

const dialects: Dialect[] = findPostgresBin() ? ['sqlite', 'postgresql'] : ['sqlite'];
if (dialects.length === 1) console.warn('inbox tests on SQLite only: PostgreSQL not found');

describe.each(dialects)('the inbox on %s', (dialect) => {
  let database: Database;
  let cluster: PostgresCluster | undefined;
  let dir: string | undefined;
  const statements: string[] = [];
  const consumer = 'ledger';

  beforeAll(async () => {
    cluster = dialect === 'postgresql' ? await startPostgresCluster() : undefined;
    dir = cluster ? undefined : mkdtempSync(join(tmpdir(), 'paygraph-inbox-'));
    database = await openDatabase({
      name: 'inbox_test',
      databaseUrl: cluster ? await cluster.createDatabase('inbox_test') : undefined,
      dataDir: dir ?? tmpdir(),
      entities: [InboxPosition],
      migrations: { sqlite: [], postgresql: [] },
      onQuery: (sql) => void statements.push(sql),
    });
    await database.orm.getSchemaGenerator().createSchema();
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const position = (aggregateId: string) => inboxPosition(database.fork(), consumer, aggregateId);
  const once = (e: EventEnvelope, effect: () => void = () => undefined) =>
    applyOnce(database.fork(), dialect, consumer, e, async () => effect());
  const batch = (events: EventEnvelope[], effect: (applied: readonly EventEnvelope[]) => void = () => undefined) =>
    applyBatchOnce(database.fork(), dialect, () => consumer, events, async (_tx, applied) => effect(applied));
  /** the statements that touch the inbox while `run` runs */
  const inboxStatements = async (run: () => Promise<unknown>) => {
    const from = statements.length;
    await run();
    return statements.slice(from).filter((sql) => /\binbox\b/.test(sql)).length;
  };

  it('applies a new event, its aggregate first seen, with one statement on the inbox', async () => {
    let effects = 0;
    expect(await inboxStatements(async () => expect(await once(event('new', 1), () => effects++)).toBe('applied'))).toBe(1);
    expect(effects).toBe(1);
    expect(await position('new')).toBe(1);
    expect(await once(event('new', 2), () => effects++)).toBe('applied');
    expect(await position('new')).toBe(2);
  });

  it('skips an event already applied, reading the position only then', async () => {
    await once(event('dup', 1));
    let effects = 0;
    expect(await inboxStatements(async () => expect(await once(event('dup', 1), () => effects++)).toBe('duplicate'))).toBe(2);
    expect(effects).toBe(0);
    expect(await position('dup')).toBe(1);
  });

  it('refuses an event that comes before its predecessor, and leaves the position as it was', async () => {
    await once(event('early', 1));
    await expect(once(event('early', 3))).rejects.toEqual(new EventOutOfOrder(event('early', 3), 2));
    await expect(once(event('unseen', 2))).rejects.toEqual(new EventOutOfOrder(event('unseen', 2), 1));
    expect(await position('early')).toBe(1);
    expect(await position('unseen')).toBe(0);
  });

  it('rolls the position back with an effect that fails', async () => {
    await expect(
      once(event('failing', 1), () => {
        throw new Error('a bug');
      }),
    ).rejects.toThrow('a bug');
    expect(await position('failing')).toBe(0);
  });

  it('moves several aggregates, several events each, with one statement, and applies their events in order', async () => {
    let effects: string[] = [];
    const events = [event('b1', 1), event('b2', 1), event('b1', 2), event('b2', 2), event('b1', 3), event('b3', 1)];
    const count = await inboxStatements(async () => {
      const result = await batch(events, (applied) => void (effects = ids(applied)));
      expect(ids(result.applied)).toEqual(ids(events));
      expect(result.rest).toEqual([]);
    });
    expect(count).toBe(1);
    expect(effects).toEqual(ids(events));
    expect([await position('b1'), await position('b2'), await position('b3')]).toEqual([3, 2, 1]);
    // and on from there
    expect(ids((await batch([event('b1', 4), event('b2', 3)])).applied)).toEqual(['b1#4', 'b2#3']);
    expect([await position('b1'), await position('b2')]).toEqual([4, 3]);
  });

  it('leaves the duplicates, the early events and what follows a gap to be handled one at a time, and applies the new', async () => {
    await batch([event('m1', 1), event('m1', 2)]);
    const events = [event('m1', 2), event('m2', 2), event('m2', 1), event('m3', 1), event('m3', 2), event('m3', 4), event('m4', 3), event('m3', 2)];
    const result = await batch(events);
    // m2's events in sequence order, where they stood in the batch
    expect(ids(result.applied)).toEqual(['m2#1', 'm2#2', 'm3#1', 'm3#2']);
    expect(ids(result.rest)).toEqual(['m1#2', 'm3#4', 'm4#3', 'm3#2']);
    expect([await position('m1'), await position('m2'), await position('m3'), await position('m4')]).toEqual([2, 2, 2, 0]);
    // one at a time, as the consumer then does them
    expect(await once(event('m1', 2))).toBe('duplicate');
    await expect(once(event('m3', 4))).rejects.toBeInstanceOf(EventOutOfOrder);
  });

  it('rolls the whole batch back when an effect fails', async () => {
    await expect(
      batch([event('r1', 1), event('r2', 1)], () => {
        throw new Error('a bug');
      }),
    ).rejects.toThrow('a bug');
    expect([await position('r1'), await position('r2')]).toEqual([0, 0]);
  });

  it('moves a position only from where a run starts, each consumer its own', async () => {
    await batch([event('c1', 1), event('c1', 2)]);
    const moved = await database.fork().transactional((tx) =>
      advanceInbox(tx, dialect, [
        { consumer, aggregateId: 'c1', first: 2, last: 3 },
        { consumer: 'other', aggregateId: 'c1', first: 1, last: 1 },
        { consumer, aggregateId: 'c2', first: 2, last: 2 },
      ], new Date()),
    );
    expect([...moved].sort()).toEqual(['other\u0000c1']);
    expect([await position('c1'), await inboxPosition(database.fork(), 'other', 'c1'), await position('c2')]).toEqual([2, 1, 0]);
  });
});

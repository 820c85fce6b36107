import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Dialect, Em } from '../database.js';
import type { EventEnvelope } from './event.js';

/**
 * The inbox of a consuming subgraph: per consumer and aggregate, the sequence of the last event
 * applied. It is updated in the transaction that applies the event, so a redelivered event is seen
 * and skipped, and an event that arrives before its predecessor waits for it.
 */
export const InboxPosition = defineEntity({
  name: 'InboxPosition',
  tableName: 'inbox',
  properties: {
    consumer: p.string().primary(),
    aggregateId: p.string().primary(),
    lastSequence: p.integer(),
    updatedAt: p.datetime(3),
  },
});
export type InboxPosition = InferEntity<typeof InboxPosition>;

/** Thrown when an event arrives before the one it follows; the transport delivers it again later. */
export class EventOutOfOrder extends Error {
  constructor(
    event: EventEnvelope,
    /** the sequence the inbox waits for */
    readonly expected: number,
  ) {
    super(`event ${event.id} of ${event.aggregateId} is number ${event.sequence}, expected ${expected}`);
    this.name = 'EventOutOfOrder';
  }
}

export type ApplyOutcome = 'applied' | 'duplicate';

/** Consecutive events `first`..`last` of one aggregate, applied together: its inbox position moves from first - 1 to last. */
export interface InboxRun {
  consumer: string;
  aggregateId: string;
  first: number;
  last: number;
}

const keyOf = (consumer: string, aggregateId: string) => `${consumer}\u0000${aggregateId}`;

function tableOf(em: Em, dialect: Dialect): string {
  const schema = em.config.get('schema');
  return dialect === 'postgresql' && schema ? `"${schema}"."${InboxPosition.meta.tableName}"` : `"${InboxPosition.meta.tableName}"`;
}

/**
 * Moves each run's inbox position from `first - 1` to `last`, where it stands there (a position not
 * yet stored stands at 0), in one statement; resolves to the runs moved, by consumerKey. A run that did
 * not move is a duplicate or comes early: only the position can tell (inboxPosition). On PostgreSQL the
 * statement locks each run's row until the transaction ends, so replicas never both move one.
 * A position first seen in a run that starts past 1 is stored at 0, which tells the same as none.
 */
export async function advanceInbox(em: Em, dialect: Dialect, runs: readonly InboxRun[], now: Date): Promise<Set<string>> {
  if (runs.length === 0) return new Set();
  // Rows in key order: replicas that move overlapping positions lock them in the same order.
  const sorted = [...runs].sort((a, b) => (keyOf(a.consumer, a.aggregateId) < keyOf(b.consumer, b.aggregateId) ? -1 : 1));
  const inbox = tableOf(em, dialect);
  const values = sorted.map(() => '(?, ?, cast(? as integer), cast(? as integer))').join(', ');
  const updatedAt = dialect === 'postgresql' ? 'cast(? as timestamptz)' : '?';
  // ON CONFLICT DO UPDATE sees only the row and `excluded`: the run's own bounds are read back from `batch`.
  const run = (column: string) => `(select batch.${column} from batch where batch.consumer = excluded.consumer and batch.aggregate_id = excluded.aggregate_id)`;
  const rows = await em.execute<{ consumer: string; aggregate_id: string; last_sequence: number }[]>(
    `with batch (consumer, aggregate_id, after_sequence, last_sequence) as (values ${values})
     insert into ${inbox} (consumer, aggregate_id, last_sequence, updated_at)
     select consumer, aggregate_id, case when after_sequence = 0 then last_sequence else 0 end, ${updatedAt} from batch where true
     on conflict (consumer, aggregate_id) do update set last_sequence = ${run('last_sequence')}, updated_at = excluded.updated_at
     where ${inbox}.last_sequence = ${run('after_sequence')}
     returning consumer, aggregate_id, last_sequence`,
    [...sorted.flatMap((r) => [r.consumer, r.aggregateId, r.first - 1, r.last]), em.getPlatform().processDateProperty(now)],
    'all',
  );
  const lastOf = new Map(sorted.map((r) => [keyOf(r.consumer, r.aggregateId), r.last]));
  const moved = new Set<string>();
  for (const row of rows) {
    const key = keyOf(row.consumer, row.aggregate_id);
    // a position stored at 0 for a run that starts past 1 comes back too
    if (Number(row.last_sequence) === lastOf.get(key)) moved.add(key);
  }
  return moved;
}

export const consumerKey = (consumer: string, event: EventEnvelope) => keyOf(consumer, event.aggregateId);

/** The sequence of the last event of the aggregate that `consumer` applied; 0 for none. */
export async function inboxPosition(em: Em, consumer: string, aggregateId: string): Promise<number> {
  const row = await em.findOne(InboxPosition, { consumer, aggregateId }, { fields: ['lastSequence'] });
  return row?.lastSequence ?? 0;
}

/**
 * Applies `effect` for `event` exactly once: in one transaction, it moves the aggregate's inbox
 * position on to the event with one conditional upsert and applies the effect with it; when the
 * position did not move, it reads the position to tell an event already applied from one that comes
 * too early (thrown, and rolled back).
 */
export async function applyOnce(
  em: Em,
  dialect: Dialect,
  consumer: string,
  event: EventEnvelope,
  effect: (tx: Em) => Promise<void>,
): Promise<ApplyOutcome> {
  return em.fork().transactional(async (tx) => {
    const run = { consumer, aggregateId: event.aggregateId, first: event.sequence, last: event.sequence };
    if ((await advanceInbox(tx, dialect, [run], new Date())).size === 1) {
      await effect(tx);
      return 'applied';
    }
    const position = await inboxPosition(tx, consumer, event.aggregateId);
    if (event.sequence <= position) return 'duplicate';
    throw new EventOutOfOrder(event, position + 1);
  });
}

export interface BatchApplied {
  /** the events applied, in the order their effects ran */
  applied: EventEnvelope[];
  /** the others, in delivery order: duplicates, early ones, and any after a gap in their aggregate's run */
  rest: EventEnvelope[];
}

/**
 * Of a batch, per aggregate, the run of consecutive sequences its events start with (each aggregate's
 * events sorted by sequence, a repeated one left out); the other events are the rest.
 */
export function batchRuns(consumerOf: (event: EventEnvelope) => string, events: readonly EventEnvelope[]): { runs: Map<string, { run: InboxRun; events: EventEnvelope[] }>; rest: EventEnvelope[] } {
  const byAggregate = new Map<string, EventEnvelope[]>();
  for (const event of events) {
    const key = consumerKey(consumerOf(event), event);
    const list = byAggregate.get(key);
    if (list) list.push(event);
    else byAggregate.set(key, [event]);
  }
  const runs = new Map<string, { run: InboxRun; events: EventEnvelope[] }>();
  const inRun = new Set<EventEnvelope>();
  for (const [key, list] of byAggregate) {
    const sorted = [...list].sort((a, b) => a.sequence - b.sequence);
    const first = sorted[0]!;
    const run = [first];
    for (const next of sorted.slice(1)) {
      const last = run[run.length - 1]!.sequence;
      if (next.sequence === last) continue;
      if (next.sequence !== last + 1) break;
      run.push(next);
    }
    for (const event of run) inRun.add(event);
    runs.set(key, { run: { consumer: consumerOf(first), aggregateId: first.aggregateId, first: first.sequence, last: run[run.length - 1]!.sequence }, events: run });
  }
  return { runs, rest: events.filter((event) => !inRun.has(event)) };
}

/**
 * Applies a batch in one transaction: one conditional upsert moves the inbox position of every
 * aggregate whose run follows on from it (batchRuns), then `effect` gets those aggregates' events,
 * in delivery order with each aggregate's in sequence order. The rest (duplicates, early events, the
 * events of aggregates whose position did not move) is left to be handled one at a time. An effect
 * that throws rolls the whole batch back.
 */
export async function applyBatchOnce(
  em: Em,
  dialect: Dialect,
  consumerOf: (event: EventEnvelope) => string,
  events: readonly EventEnvelope[],
  effect: (tx: Em, events: readonly EventEnvelope[]) => Promise<void>,
): Promise<BatchApplied> {
  const planned = batchRuns(consumerOf, events);
  return em.fork().transactional(async (tx) => {
    const moved = await advanceInbox(tx, dialect, [...planned.runs.values()].map((entry) => entry.run), new Date());
    const applied: EventEnvelope[] = [];
    const rest: EventEnvelope[] = [];
    const queues = new Map([...planned.runs].filter(([key]) => moved.has(key)).map(([key, entry]) => [key, [...entry.events]]));
    const restOf = new Set(planned.rest);
    for (const event of events) {
      const queue = restOf.has(event) ? undefined : queues.get(consumerKey(consumerOf(event), event));
      if (queue) applied.push(queue.shift()!);
      else rest.push(event);
    }
    if (applied.length > 0) await effect(tx, applied);
    return { applied, rest };
  });
}

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Em } from '../database.js';
import type { EventEnvelope } from './event.js';

export const deadLetterReasons = ['failed', 'follows-dead-letter', 'predecessors-pruned'] as const;
/**
 * failed: its payload breaks its contract, or its effect kept failing; follows-dead-letter: an earlier
 * event of its aggregate is a dead letter, and events are applied in order; predecessors-pruned: the
 * events before it were lost by the transport and are no longer in the producer's outbox.
 */
export type DeadLetterReason = (typeof deadLetterReasons)[number];

/** An event a consumer could not apply, kept (whole) instead of being redelivered forever; replayed on request. */
export const DeadLetter = defineEntity({
  name: 'DeadLetter',
  tableName: 'dead_letters',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    /** the inbox consumer, e.g. transaction:payment */
    consumer: p.string(),
    eventId: p.string(),
    source: p.string(),
    position: p.bigint('number'),
    aggregateId: p.string(),
    sequence: p.integer(),
    type: p.string(),
    envelope: p.json<EventEnvelope>(),
    reason: p.enum(() => deadLetterReasons),
    error: p.text(),
    deadAt: p.datetime(3),
    /** set by a replay request (npm run dead-letters -- replay); the consumer replays it at its next sweep */
    replayRequestedAt: p.datetime(3).nullable(),
  },
  uniques: [{ properties: ['consumer', 'eventId'] }],
  indexes: [{ properties: ['consumer', 'aggregateId', 'sequence'] }],
});
export type DeadLetter = InferEntity<typeof DeadLetter>;

const written = new Map<string, number>();

/** Dead letters written by this process since it started, per inbox consumer (a counter for /metrics). */
export function deadLettersWritten(): ReadonlyMap<string, number> {
  return written;
}

/** Keeps `event` as a dead letter of `consumer`; false when it already was one. */
export async function recordDeadLetter(em: Em, consumer: string, event: EventEnvelope, reason: DeadLetterReason, error: string, now: Date): Promise<boolean> {
  const result = await em
    .createQueryBuilder(DeadLetter)
    .insert({
      consumer,
      eventId: event.id,
      source: event.source,
      position: event.position,
      aggregateId: event.aggregateId,
      sequence: event.sequence,
      type: event.type,
      envelope: event,
      reason,
      error,
      deadAt: now,
      replayRequestedAt: null,
    })
    .onConflict(['consumer', 'eventId'])
    .ignore()
    .execute('run');
  const added = (result.affectedRows ?? 0) > 0;
  if (added) written.set(consumer, (written.get(consumer) ?? 0) + 1);
  return added;
}

/** Whether an earlier event of the aggregate is a dead letter of `consumer`. */
export async function hasDeadLetter(em: Em, consumer: string, aggregateId: string): Promise<boolean> {
  return (await em.count(DeadLetter, { consumer, aggregateId })) > 0;
}

/** The dead letters now kept, per inbox consumer (a gauge for /metrics). */
export async function countDeadLetters(em: Em): Promise<Record<string, number>> {
  const rows = await em.find(DeadLetter, {}, { fields: ['consumer'] });
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.consumer] = (counts[row.consumer] ?? 0) + 1;
  return counts;
}

export function listDeadLetters(em: Em, filter: { consumer?: string } = {}): Promise<DeadLetter[]> {
  return em.find(DeadLetter, filter.consumer ? { consumer: filter.consumer } : {}, { orderBy: { consumer: 'asc', aggregateId: 'asc', sequence: 'asc' } });
}

/** Marks dead letters (all, one consumer's, or some by id) for replay; the consumer replays them at its next sweep. */
export function requestReplay(em: Em, filter: { consumer?: string; ids?: number[] }, now: Date): Promise<number> {
  return em.nativeUpdate(DeadLetter, { ...(filter.consumer ? { consumer: filter.consumer } : {}), ...(filter.ids ? { id: { $in: filter.ids } } : {}) }, { replayRequestedAt: now });
}

export interface ReplayResult {
  replayed: number;
  /** still dead letters: failed again, or after one that did */
  kept: number;
}

/**
 * Replays the dead letters marked for replay, each aggregate's in sequence order, through `apply`
 * (the consumer's exactly-once path): one that applies (or had been applied) is deleted; at the
 * first that fails, it and the rest of its aggregate stay, with the new error, unmarked.
 */
export async function replayRequested(fork: () => Em, consumers: readonly string[], apply: (event: EventEnvelope) => Promise<unknown>): Promise<ReplayResult> {
  const rows = await fork().find(
    DeadLetter,
    { consumer: { $in: [...consumers] }, replayRequestedAt: { $ne: null } },
    { orderBy: { consumer: 'asc', aggregateId: 'asc', sequence: 'asc' } },
  );
  const result: ReplayResult = { replayed: 0, kept: 0 };
  const failedAggregates = new Set<string>();
  for (const row of rows) {
    const aggregate = `${row.consumer}\u0000${row.aggregateId}`;
    let error: string | null = failedAggregates.has(aggregate) ? row.error : null;
    if (error === null) {
      try {
        await apply(row.envelope);
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure);
        failedAggregates.add(aggregate);
      }
    }
    if (error === null) {
      await fork().nativeDelete(DeadLetter, { id: row.id });
      result.replayed += 1;
    } else {
      await fork().nativeUpdate(DeadLetter, { id: row.id }, { error, replayRequestedAt: null });
      result.kept += 1;
    }
  }
  return result;
}

import { defineEntity, LockMode, p, type InferEntity } from '@mikro-orm/core';
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

/**
 * Applies `effect` for `event` exactly once: in one transaction, it locks the aggregate's inbox
 * position, skips an event already applied, refuses one that comes too early, and records the new
 * position together with the effect.
 */
export async function applyOnce(
  em: Em,
  dialect: Dialect,
  consumer: string,
  event: EventEnvelope,
  effect: (tx: Em) => Promise<void>,
): Promise<ApplyOutcome> {
  return em.fork().transactional(async (tx) => {
    await tx
      .createQueryBuilder(InboxPosition)
      .insert({ consumer, aggregateId: event.aggregateId, lastSequence: 0, updatedAt: new Date(0) })
      .onConflict(['consumer', 'aggregateId'])
      .ignore()
      .execute();
    const position = await tx.findOneOrFail(
      InboxPosition,
      { consumer, aggregateId: event.aggregateId },
      dialect === 'postgresql' ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
    if (event.sequence <= position.lastSequence) return 'duplicate';
    if (event.sequence !== position.lastSequence + 1) throw new EventOutOfOrder(event, position.lastSequence + 1);
    await effect(tx);
    position.lastSequence = event.sequence;
    position.updatedAt = new Date();
    return 'applied';
  });
}

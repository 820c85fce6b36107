import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';

/**
 * The transactional outbox: every subgraph writes the events of a state change into this table
 * in the same transaction as the change, and a relay publishes them in commit order.
 */
export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    /** e.g. payment: a payment and its refunds share the payment's id, so they stay in order */
    aggregateType: p.string(),
    aggregateId: p.string().index(),
    /** position within the aggregate, 1-based and gapless: consumers apply an aggregate's events in this order */
    sequence: p.integer(),
    type: p.string(),
    payload: p.json<Record<string, unknown>>(),
    occurredAt: p.datetime(3),
    /**
     * The event's place in the outbox's one total order, assigned by the relay when it first sees the
     * committed row (ids are taken at insert, so id order is not commit order across aggregates).
     * Published events go out in this order; subscription cursors are positions.
     */
    position: p.bigint('number').nullable().unique(),
    publishedAt: p.datetime(3).nullable(),
  },
  indexes: [{ properties: ['publishedAt', 'id'] }],
});
export type OutboxEvent = InferEntity<typeof OutboxEvent>;

export interface OutboxMessage {
  aggregateType: string;
  aggregateId: string;
  sequence: number;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

/** Adds an event to the unit of work of `em`; it commits (or not) with the change it describes. */
export function recordEvent(em: EntityManager, message: OutboxMessage): void {
  em.create(OutboxEvent, { ...message, position: null, publishedAt: null });
}

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { EventContract, EventType, WrittenPayload } from './event-contract.js';

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
    /** the merchant whose event log the event belongs to (partners read a merchant's log in position order); null: no merchant's */
    merchantId: p.string().nullable(),
    occurredAt: p.datetime(3),
    /**
     * The event's place in the outbox's one total order, assigned by the relay when it first sees the
     * committed row (ids are taken at insert, so id order is not commit order across aggregates).
     * Published events go out in this order; subscription cursors are positions.
     */
    position: p.bigint('number').nullable().unique(),
    publishedAt: p.datetime(3).nullable(),
  },
  indexes: [{ properties: ['publishedAt', 'id'] }, { properties: ['merchantId', 'position'] }],
});
export type OutboxEvent = InferEntity<typeof OutboxEvent>;

/** One event of a producer's contract, as it goes into the outbox: the type picks the payload's shape. */
export interface OutboxMessage<C extends EventContract, T extends EventType<C>> {
  aggregateType: string;
  aggregateId: string;
  sequence: number;
  type: T;
  payload: NoInfer<WrittenPayload<C, T>>;
  occurredAt: Date;
  /** the merchant whose log it joins; absent: none */
  merchantId?: string;
}

/**
 * Adds an event of `contract` to the unit of work of `em`; it commits (or not) with the change it
 * describes. The payload is stored as written: the wire shape is the contract's schema input.
 */
export function recordEvent<C extends EventContract, T extends EventType<C>>(em: EntityManager, contract: C, message: OutboxMessage<C, T>): void {
  if (!Object.hasOwn(contract, message.type)) throw new Error(`${message.type} is not an event of this contract`);
  em.create(OutboxEvent, { ...message, merchantId: message.merchantId ?? null, position: null, publishedAt: null });
}

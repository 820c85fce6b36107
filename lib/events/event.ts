import { z } from 'zod';

/**
 * An event as it travels between subgraphs. `sequence` is the event's position within its aggregate
 * (a payment and its refunds), 1-based and gapless, so a consumer can apply each aggregate's events
 * in order and exactly once whatever the transport delivers.
 */
export interface EventEnvelope {
  /** unique across the system: `<source>:<outbox id>` */
  id: string;
  /** the subgraph that wrote it, e.g. payment */
  source: string;
  /** its place in the source's one total order of events (see lib/outbox.ts); ascending on the stream */
  position: number;
  type: string;
  aggregateType: string;
  aggregateId: string;
  sequence: number;
  /** ISO-8601 UTC */
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** An envelope as it travels in JSON (a replay page, a stream entry). */
export const eventEnvelopeSchema = z.object({
  id: z.string(),
  source: z.string(),
  position: z.number().int(),
  type: z.string(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  sequence: z.number().int(),
  occurredAt: z.string(),
  payload: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<EventEnvelope>;

/** An event of a batch that its handler could not handle this time, and why: the transport delivers it again later. */
export interface UnhandledEvent {
  event: EventEnvelope;
  error: unknown;
}

/**
 * Handles a batch of a stream's events, in stream order: resolves to those it could not handle (every
 * other one is handled, and the transport acknowledges it); throwing leaves the whole batch to be
 * delivered again.
 */
export type EventHandler = (events: readonly EventEnvelope[]) => Promise<readonly UnhandledEvent[]>;

export interface SubscribeOptions {
  /** the transport is back after an outage (Redis reconnected, its group recreated): events may have been lost meanwhile */
  onRestored?: () => void;
}

export interface Subscription {
  stop: () => Promise<void>;
}

/**
 * Carries events from outbox relays to consumers: at least once, in batches (bounded, in stream order).
 * What a handler handled is acknowledged; what it did not (EventHandler) is delivered again later.
 * Within a group, each event goes to one consumer.
 */
export interface EventTransport {
  publish: (stream: string, events: EventEnvelope[]) => Promise<void>;
  subscribe: (stream: string, group: string, consumer: string, handler: EventHandler, options?: SubscribeOptions) => Promise<Subscription>;
  /**
   * Every event published to the stream from now on, to this process alone: no group, nothing
   * acknowledged or redelivered. For fanning out to live clients, who replay from the source.
   */
  tail: (stream: string, handler: (event: EventEnvelope) => void) => Promise<Subscription>;
  close: () => Promise<void>;
}

/** The stream every payment event goes to. */
export const PAYMENT_EVENTS = 'payment-events';

/** The stream of accounting's events (accounting.payment_booked, accounting.refund_booked). */
export const ACCOUNTING_EVENTS = 'accounting-events';

/** The producer of each stream: its subgraph, which is the `source` of the stream's events and serves its outbox. */
const STREAM_SOURCES: Readonly<Record<string, string>> = { [PAYMENT_EVENTS]: 'payment', [ACCOUNTING_EVENTS]: 'accounting' };

export function sourceOfStream(stream: string): string | undefined {
  return STREAM_SOURCES[stream];
}

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Dialect, Em } from '../database.js';
import type { EventEnvelope, EventTransport, Subscription } from './event.js';
import { applyOnce, EventOutOfOrder, type ApplyOutcome } from './inbox.js';

/** A consuming service's group and the streams it reads: replicas share the group, so each event is applied by one of them. */
export interface ConsumerGroup {
  readonly group: string;
  readonly streams: readonly string[];
}

/**
 * The inbox's consumer of an event: the group alone when it reads one stream; `<group>:<source>`
 * when it reads several, since each source numbers a payment's events on its own and so keeps its
 * own positions. (The stored values: accounting, transaction:payment, analytics:accounting, …)
 */
export function inboxConsumer(consumer: ConsumerGroup, event: EventEnvelope): string {
  return consumer.streams.length === 1 ? consumer.group : `${consumer.group}:${event.source}`;
}

/** A replica's name within its group, unique across machines and processes. */
export function replicaName(group: string): string {
  return `${group}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export interface ExactlyOnce extends ConsumerGroup {
  fork: () => Em;
  dialect: Dialect;
  /** the effect of one event, inside the transaction that moves the inbox position */
  apply: (tx: Em, event: EventEnvelope) => Promise<void>;
}

/** Applies one event exactly once and in order within its aggregate, through the inbox (lib/events/inbox.ts). */
export function exactlyOnce(options: ExactlyOnce): (event: EventEnvelope) => Promise<ApplyOutcome> {
  return (event) => applyOnce(options.fork(), options.dialect, inboxConsumer(options, event), event, (tx) => options.apply(tx, event));
}

export interface EventConsumerOptions extends ExactlyOnce {
  transport: EventTransport;
  /** this replica's name within the group; default replicaName(group) */
  replica?: string;
  /** receives every failure but an event that came before its predecessor (which is simply delivered again) */
  onError: (error: unknown) => void;
}

export interface EventConsumer {
  /** applies one event as the subscriptions do; resolves to whether it was new */
  handleEvent: (event: EventEnvelope) => Promise<ApplyOutcome>;
  /** stops every subscription: nothing new is applied once it resolves */
  stop: () => Promise<void>;
}

/** Subscribes the group to each of its streams; if one subscription fails, those already started are stopped. */
export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const handleEvent = exactlyOnce(options);
  const replica = options.replica ?? replicaName(options.group);
  const consume = async (event: EventEnvelope) => {
    try {
      await handleEvent(event);
    } catch (error) {
      // The transport delivers the event again; an early one is expected to wait, anything else is reported.
      if (!(error instanceof EventOutOfOrder)) options.onError(error);
      throw error;
    }
  };
  const subscriptions: Subscription[] = [];
  const stop = async () => {
    for (const subscription of subscriptions.splice(0)) await subscription.stop();
  };
  try {
    for (const stream of options.streams) subscriptions.push(await options.transport.subscribe(stream, options.group, replica, consume));
  } catch (error) {
    await stop();
    throw error;
  }
  return { handleEvent, stop };
}

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Dialect, Em } from '../database.js';
import { startCatchUp, type SweepSource } from './catch-up.js';
import { replayRequested, requestReplay, type ReplayResult } from './dead-letters.js';
import { eventDelivery } from './delivery.js';
import { sourceOfStream, type EventEnvelope, type EventTransport, type Subscription } from './event.js';
import { applyBatchOnce, applyOnce, type ApplyOutcome, type BatchApplied } from './inbox.js';
import type { OutboxReader } from './outbox-route.js';

/** A consuming service's group and the streams it reads: replicas share the group, so each event is applied by one of them. */
export interface ConsumerGroup {
  readonly group: string;
  readonly streams: readonly string[];
}

/**
 * The inbox's consumer of a source's events: the group alone when it reads one stream; `<group>:<source>`
 * when it reads several, since each source numbers a payment's events on its own and so keeps its
 * own positions. (The stored values: accounting, transaction:payment, analytics:accounting, …)
 */
export function inboxConsumerOf(consumer: ConsumerGroup, source: string): string {
  return consumer.streams.length === 1 ? consumer.group : `${consumer.group}:${source}`;
}

export function inboxConsumer(consumer: ConsumerGroup, event: EventEnvelope): string {
  return inboxConsumerOf(consumer, event.source);
}

/** A replica's name within its group, unique across machines and processes. */
export function replicaName(group: string): string {
  return `${group}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export interface ExactlyOnce extends ConsumerGroup {
  fork: () => Em;
  dialect: Dialect;
  /**
   * The effect of one event, inside the transaction that moves the inbox position. In a batch (and
   * without applyBatch) it is called for each event applied, in order, in the batch's one transaction,
   * with the entity manager flushed and cleared between events, as if each had its own.
   */
  apply: (tx: Em, event: EventEnvelope) => Promise<void>;
  /**
   * The effect of a batch of events at once, instead of `apply` per event: called once per batch a
   * transport delivers, inside the batch's one transaction (the one that moves the inbox positions),
   * with the events of the batch that are new and in order, in delivery order and each aggregate's in
   * sequence order (never empty, at most MAX_BATCH). It must have the effect `apply` would have for
   * each event in turn (a fold, such as one upsert per touched row, is the point); throwing rolls the
   * batch back, and its events are then applied one at a time through `apply`, as are events that
   * are redelivered, come early or are replayed.
   */
  applyBatch?: (tx: Em, events: readonly EventEnvelope[]) => Promise<void>;
}

/** Applies one event exactly once and in order within its aggregate, through the inbox (lib/events/inbox.ts). */
export function exactlyOnce(options: ExactlyOnce): (event: EventEnvelope) => Promise<ApplyOutcome> {
  return (event) => applyOnce(options.fork(), options.dialect, inboxConsumer(options, event), event, (tx) => options.apply(tx, event));
}

/** Events a consumer applies in one transaction at most. */
export const MAX_BATCH = 100;

/** Applies at most MAX_BATCH events in one transaction, those that follow on from the inbox (lib/events/inbox.ts applyBatchOnce). */
export function exactlyOnceBatch(options: ExactlyOnce): (events: readonly EventEnvelope[]) => Promise<BatchApplied> {
  const effect = async (tx: Em, events: readonly EventEnvelope[]) => {
    if (options.applyBatch) return options.applyBatch(tx, events);
    for (const [index, event] of events.entries()) {
      if (index > 0) {
        await tx.flush();
        tx.clear();
      }
      await options.apply(tx, event);
    }
  };
  return (events) => {
    if (events.length > MAX_BATCH) throw new Error(`a batch of ${events.length} events: at most ${MAX_BATCH}`);
    return applyBatchOnce(options.fork(), options.dialect, (event) => inboxConsumer(options, event), events, effect);
  };
}

/** How a consumer fills what its transport lost, and gives up on what it can never apply. */
export interface BackfillSettings {
  /** each producer's outbox by source (lib/events/outbox-route.ts); a source without one is not backfilled */
  outboxes: Readonly<Record<string, OutboxReader>>;
  /** the safety sweep's period (EVENT_BACKFILL_INTERVAL) */
  intervalMs: number;
  /** failures with one non-transient error after which an event is a dead letter (EVENT_DEAD_LETTER_AFTER) */
  deadLetterAfter: number;
  /** events per page of a sweep */
  pageSize?: number;
}

export interface EventConsumerOptions extends ExactlyOnce {
  transport: EventTransport;
  /** this replica's name within the group; default replicaName(group) */
  replica?: string;
  /** none: no sweep, and an early event waits for its predecessors as long as it takes */
  backfill?: BackfillSettings;
  now?: () => Date;
  /** receives every failure but an event that came before its predecessor (which is simply delivered again) */
  onError: (error: unknown) => void;
}

export interface EventConsumer {
  /** applies one event as the subscriptions do; resolves to whether it was new */
  handleEvent: (event: EventEnvelope) => Promise<ApplyOutcome>;
  /** sweeps every producer's outbox from the watermark now, applying what is missing; resolves to the events applied */
  catchUp: () => Promise<number>;
  /** marks every dead letter of this consumer for replay and replays them now */
  replayDeadLetters: () => Promise<ReplayResult>;
  /** stops every subscription and the sweeps: nothing new is applied once it resolves */
  stop: () => Promise<void>;
}

/**
 * Subscribes the group to each of its streams, and keeps its inbox complete whatever the transport
 * loses: a sweep of each producer's outbox at start, when the transport is restored, after a gap and
 * every backfill interval (lib/events/catch-up.ts); gaps within an aggregate filled and dead letters
 * kept as lib/events/delivery.ts does. The transport's batches are applied at most MAX_BATCH events per
 * transaction. If one subscription fails, those already started are stopped.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const handleEvent = exactlyOnce(options);
  const handleBatch = exactlyOnceBatch(options);
  const replica = options.replica ?? replicaName(options.group);
  const now = options.now ?? (() => new Date());
  const backfill = options.backfill;
  const outboxOf = (source: string) => (backfill && Object.hasOwn(backfill.outboxes, source) ? backfill.outboxes[source] : undefined);
  const sources: SweepSource[] = options.streams.flatMap((stream) => {
    const source = sourceOfStream(stream);
    const outbox = source === undefined ? undefined : outboxOf(source);
    return source !== undefined && outbox ? [{ source, consumer: inboxConsumerOf(options, source), outbox }] : [];
  });
  const consumers = options.streams.flatMap((stream) => {
    const source = sourceOfStream(stream);
    return source === undefined ? [] : [inboxConsumerOf(options, source)];
  });
  const replay = () => replayRequested(options.fork, consumers, handleEvent);
  let requestSweep = () => undefined as void;
  const { deliver, deliverBatch } = eventDelivery({
    group: options.group,
    inboxConsumer: (event) => inboxConsumer(options, event),
    fork: options.fork,
    handleEvent,
    handleBatch,
    maxBatch: MAX_BATCH,
    outboxOf,
    deadLetterAfter: backfill?.deadLetterAfter ?? Number.POSITIVE_INFINITY,
    onGap: () => requestSweep(),
    onError: options.onError,
    now,
  });
  const catchUp = backfill
    ? startCatchUp({
        fork: options.fork,
        dialect: options.dialect,
        deliver,
        pageSize: backfill.pageSize ?? 500,
        now,
        sources,
        intervalMs: backfill.intervalMs,
        onError: options.onError,
        before: replay,
      })
    : null;
  if (catchUp) requestSweep = catchUp.request;

  const subscriptions: Subscription[] = [];
  const stop = async () => {
    for (const subscription of subscriptions.splice(0)) await subscription.stop();
    await catchUp?.stop();
  };
  try {
    for (const stream of options.streams) {
      subscriptions.push(await options.transport.subscribe(stream, options.group, replica, deliverBatch, { onRestored: () => requestSweep() }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  requestSweep();
  return {
    handleEvent,
    catchUp: () => catchUp?.run() ?? Promise.resolve(0),
    replayDeadLetters: async () => {
      for (const consumer of consumers) await requestReplay(options.fork(), { consumer }, now());
      return replay();
    },
    stop,
  };
}

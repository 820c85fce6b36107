import type { Em } from '../database.js';
import { crashPoint, type CrashPoint } from '../faults/crash-points.js';
import { hasDeadLetter, recordDeadLetter, type DeadLetterReason } from './dead-letters.js';
import { EventPayloadError } from './event-contract.js';
import type { EventEnvelope, EventHandler, UnhandledEvent } from './event.js';
import { EventOutOfOrder, type ApplyOutcome, type BatchApplied } from './inbox.js';
import type { OutboxReader } from './outbox-route.js';
import { isTransientError } from './transient-error.js';
import { logger } from '../logger.js';
import { runForEvent } from '../request-context.js';

const log = logger('events');

/** Where a consumer group's process may be made to die between its inbox commit (an event's, a batch's) and the transport's acknowledgement. */
const AFTER_APPLY = new Map<string, CrashPoint>([
  ['accounting', 'consumer.accounting.after-apply'],
  ['transaction', 'consumer.transaction.after-apply'],
  ['analytics', 'consumer.analytics.after-apply'],
]);

export interface DeliveryOptions {
  group: string;
  /** the inbox consumer of an event (lib/events/consumer.ts inboxConsumer) */
  inboxConsumer: (event: EventEnvelope) => string;
  fork: () => Em;
  /** applies one event exactly once (lib/events/consumer.ts exactlyOnce) */
  handleEvent: (event: EventEnvelope) => Promise<ApplyOutcome>;
  /** applies in one transaction the events of a batch that follow on from the inbox (lib/events/consumer.ts exactlyOnceBatch) */
  handleBatch: (events: readonly EventEnvelope[]) => Promise<BatchApplied>;
  /** events per transaction at most */
  maxBatch: number;
  /** each producer's outbox, by source; a source without one is not backfilled */
  outboxOf: (source: string) => OutboxReader | undefined;
  /** failures with one non-transient error after which an event becomes a dead letter */
  deadLetterAfter: number;
  /** a gap was found in `source`'s events: other aggregates may have lost events too */
  onGap: (source: string) => void;
  onError: (error: unknown) => void;
  now: () => Date;
}

type Delivered = ApplyOutcome | 'dead-letter';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * What a consumer does with an event, whoever delivers it (the transport, a catch-up sweep): applies it
 * exactly once; when it comes before its predecessors, fetches the missing ones from the producer's
 * outbox and applies them first; keeps as a dead letter an event that can never be applied (its payload
 * breaks the contract, or its effect failed `deadLetterAfter` times with the same non-transient error)
 * and the later events of its aggregate, which must not be applied over a missing one. `deliver`
 * resolves once the event is applied or dead-lettered (the transport may acknowledge it) and throws
 * to be delivered again; `deliverBatch` does the same for a transport's batch, applying what follows
 * on from the inbox in one transaction per chunk, and resolves to the events to be delivered again.
 */
export function eventDelivery(options: DeliveryOptions): { deliver: (event: EventEnvelope) => Promise<void>; deliverBatch: EventHandler } {
  const failures = new Map<string, { message: string; count: number }>();
  const afterApply = AFTER_APPLY.get(options.group);

  const deadLetter = async (event: EventEnvelope, reason: DeadLetterReason, error: string): Promise<Delivered> => {
    const consumer = options.inboxConsumer(event);
    failures.delete(event.id);
    if (await recordDeadLetter(options.fork(), consumer, event, reason, error, options.now())) {
      log.warn(`dead letter: event ${event.id} (${event.type}, ${event.aggregateId} #${event.sequence}) not applied by ${consumer} [${reason}]: ${error}`);
    }
    return 'dead-letter';
  };

  /** A failure of the effect: reported and retried, until it has failed the same way often enough. */
  const failed = async (event: EventEnvelope, error: unknown): Promise<Delivered> => {
    if (error instanceof EventPayloadError) return deadLetter(event, 'failed', error.message);
    if (isTransientError(error)) {
      options.onError(error);
      throw error;
    }
    const message = messageOf(error);
    const last = failures.get(event.id);
    const count = last?.message === message ? last.count + 1 : 1;
    if (count >= options.deadLetterAfter) return deadLetter(event, 'failed', `${message} (failed ${count} times)`);
    failures.set(event.id, { message, count });
    options.onError(error);
    throw error;
  };

  const apply = async (event: EventEnvelope): Promise<ApplyOutcome> => {
    const outcome = await options.handleEvent(event);
    failures.delete(event.id);
    if (outcome === 'applied' && afterApply) crashPoint(afterApply);
    return outcome;
  };

  /** The event came before `expected`: park it behind a dead letter, or backfill what is missing and apply it. */
  const fillGap = async (event: EventEnvelope, gap: EventOutOfOrder, gapsLeft: number): Promise<Delivered> => {
    const consumer = options.inboxConsumer(event);
    if (await hasDeadLetter(options.fork(), consumer, event.aggregateId)) {
      return deadLetter(event, 'follows-dead-letter', `an earlier event of ${event.aggregateId} is a dead letter`);
    }
    const outbox = options.outboxOf(event.source);
    if (!outbox) throw gap;
    const page = await outbox({
      afterPosition: 0,
      limit: Math.min(1000, event.sequence - gap.expected),
      aggregate: { aggregateId: event.aggregateId, afterSequence: gap.expected - 1 },
    });
    const missing = page.events.filter((earlier) => earlier.sequence < event.sequence);
    if (missing[0]?.sequence !== gap.expected) {
      const error = `events ${gap.expected} to ${event.sequence - 1} of ${event.aggregateId} were lost by the transport and are no longer in ${event.source}'s outbox (older than its retention): they cannot be backfilled`;
      return deadLetter(event, 'predecessors-pruned', error);
    }
    let lost = false;
    for (const earlier of missing) lost = (await deliver(earlier, 0)) !== 'duplicate' || lost;
    // applied here rather than by another replica: the transport lost them, and maybe others too
    if (lost) options.onGap(event.source);
    // once more: applied now, or parked behind a predecessor that just became a dead letter
    return deliver(event, gapsLeft - 1);
  };

  /** `gapsLeft`: how many more times a gap may be filled for this delivery (the predecessors fetched get none). */
  // its log lines carry the event's id (not a request's, when a request's commit woke the relay that sent it)
  const deliver = (event: EventEnvelope, gapsLeft: number): Promise<Delivered> =>
    runForEvent(event.id, async () => {
      try {
        return await apply(event);
      } catch (error) {
        if (error instanceof EventOutOfOrder) {
          if (gapsLeft > 0) return fillGap(event, error, gapsLeft);
          throw error;
        }
        return failed(event, error);
      }
    });

  /**
   * A transport's batch: applied in transactions of at most `maxBatch` events; what they leave (duplicates,
   * early events) and, when an effect fails, the whole chunk, go one at a time as `deliver` does them.
   */
  const deliverBatch: EventHandler = async (events) => {
    const unhandled: UnhandledEvent[] = [];
    for (let start = 0; start < events.length; start += options.maxBatch) {
      const chunk = events.slice(start, start + options.maxBatch);
      let rest: readonly EventEnvelope[] = chunk;
      try {
        const batch = await runForEvent(chunk.map((event) => event.id).join(','), () => options.handleBatch(chunk));
        for (const event of batch.applied) failures.delete(event.id);
        if (batch.applied.length > 0 && afterApply) crashPoint(afterApply);
        rest = batch.rest;
      } catch {
        // rolled back: one at a time, each event applies, fails or becomes a dead letter on its own (and says why)
      }
      for (const event of rest) {
        try {
          await deliver(event, 2);
        } catch (error) {
          unhandled.push({ event, error });
        }
      }
    }
    return unhandled;
  };

  return { deliver: async (event: EventEnvelope) => void (await deliver(event, 2)), deliverBatch };
}

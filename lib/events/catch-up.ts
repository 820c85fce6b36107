import type { Dialect, Em } from '../database.js';
import { DeadLetter } from './dead-letters.js';
import type { EventEnvelope } from './event.js';
import { InboxPosition } from './inbox.js';
import type { OutboxReader } from './outbox-route.js';
import { isTransientError } from './transient-error.js';
import { advanceWatermark, readWatermark } from './watermark.js';
import { errorSummary } from '../log.js';
import { logger } from '../logger.js';

const log = logger('events');

export interface SweepSource {
  source: string;
  /** the inbox consumer of this source's events */
  consumer: string;
  outbox: OutboxReader;
}

export interface SweepOptions {
  fork: () => Em;
  dialect: Dialect;
  /** the consumer's delivery (lib/events/delivery.ts): applies or dead-letters, throws to be retried */
  deliver: (event: EventEnvelope) => Promise<void>;
  pageSize: number;
  now: () => Date;
}

/**
 * Of a page of events, those `consumer` has neither applied (its inbox is behind their sequence) nor
 * kept as dead letters: one statement, whatever the page's size.
 */
export async function missingEvents(em: Em, dialect: Dialect, consumer: string, events: readonly EventEnvelope[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const schema = em.config.get('schema');
  const table = (name: string) => (dialect === 'postgresql' && schema ? `"${schema}"."${name}"` : `"${name}"`);
  const values = events.map(() => '(?, ?, cast(? as integer))').join(', ');
  const rows = await em.execute<{ event_id: string }[]>(
    `with page(event_id, aggregate_id, sequence) as (values ${values})
     select page.event_id from page
     left join ${table(InboxPosition.meta.tableName)} inbox on inbox.consumer = ? and inbox.aggregate_id = page.aggregate_id
     left join ${table(DeadLetter.meta.tableName)} dead on dead.consumer = ? and dead.event_id = page.event_id
     where (inbox.last_sequence is null or inbox.last_sequence < page.sequence) and dead.id is null`,
    [...events.flatMap((event) => [event.id, event.aggregateId, event.sequence]), consumer, consumer],
  );
  return new Set(rows.map((row) => row.event_id));
}

export interface SweepRange {
  /** the watermark as this process last read or wrote it (the stored one is never behind it); default: read */
  from?: number;
  /** the last position to deliver; default: the producer's head */
  upTo?: number;
}

export interface Swept {
  delivered: number;
  head: number;
  /** the watermark now */
  watermark: number;
}

/**
 * Reads a producer's outbox from the consumer's watermark to its head (or to `upTo`), page by page, and
 * delivers the events the consumer has not applied, in position order; moves the watermark past what
 * is done. From a known watermark, when nothing is new this is one request and no statement.
 */
export async function sweepSource(options: SweepOptions, target: SweepSource, range: SweepRange = {}): Promise<Swept> {
  const { source, consumer } = target;
  const upTo = range.upTo ?? Number.POSITIVE_INFINITY;
  let delivered = 0;
  let known = range.from;
  for (;;) {
    const watermark = known ?? (await readWatermark(options.fork(), consumer, source));
    known = undefined;
    const page = await target.outbox({ afterPosition: watermark, limit: options.pageSize });
    const events = page.events.filter((event) => event.position <= upTo);
    const first = events[0];
    if (!first) {
      if (page.head < watermark) log.warn(`${consumer}: ${source}'s outbox ends at ${page.head}, before this consumer's watermark ${watermark}: was its database replaced?`);
      return { delivered, head: page.head, watermark };
    }
    if (first.position > watermark + 1) {
      log.warn(
        `${consumer}: events ${watermark + 1} to ${first.position - 1} of ${source} were pruned from its outbox (older than its retention) before this consumer checked them: any the transport lost cannot be backfilled`,
      );
    }
    const missing = await missingEvents(options.fork(), options.dialect, consumer, events);
    let done = watermark;
    try {
      for (const event of events) {
        if (missing.has(event.id)) {
          await options.deliver(event);
          delivered += 1;
        }
        done = event.position;
      }
    } finally {
      if (done > watermark) await advanceWatermark(options.fork(), consumer, source, done, options.now());
    }
    if (missing.size > 0) log.warn(`${consumer}: ${missing.size} event(s) of ${source} the transport had not delivered were applied from its outbox`);
    if (events.length < options.pageSize) return { delivered, head: page.head, watermark: done };
    known = done;
  }
}

export interface CatchUp {
  /** asks for a sweep of every source soon (coalesced with one running) */
  request: () => void;
  /** sweeps now and resolves when done */
  run: () => Promise<number>;
  stop: () => Promise<void>;
}

/**
 * Sweeps every source at once, whenever asked (the transport reconnected, a gap was found) and every
 * `intervalMs` after the last sweep, one sweep at a time. A sweep that was asked for goes to the head;
 * the periodic one only as far as the head the previous sweep saw, so it leaves the transport the events
 * it is still delivering and finds only those it lost. A failed sweep is reported and tried again at the next.
 */
export function startCatchUp(
  options: SweepOptions & { sources: readonly SweepSource[]; intervalMs: number; onError: (error: unknown) => void; before?: () => Promise<unknown> },
): CatchUp {
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;
  let full = false;
  let timer: NodeJS.Timeout | undefined;
  const heads = new Map<string, number>();
  const watermarks = new Map<string, number>();

  // a producer (or the database) out of reach is said once per outage, not at every sweep
  const unreachable = new Set<string>();
  const sweepAll = async (toHead: boolean): Promise<number> => {
    let delivered = 0;
    await options.before?.();
    for (const target of options.sources) {
      try {
        const range = toHead ? {} : { from: watermarks.get(target.source), upTo: heads.get(target.source) ?? 0 };
        const swept = await sweepSource(options, target, range);
        delivered += swept.delivered;
        heads.set(target.source, swept.head);
        watermarks.set(target.source, swept.watermark);
        unreachable.delete(target.source);
      } catch (error) {
        if (!isTransientError(error)) options.onError(error);
        else if (!unreachable.has(target.source)) {
          unreachable.add(target.source);
          log.warn(`${target.consumer}: sweep of ${target.source}'s outbox failed, to be tried again: ${errorSummary(error)}`);
        }
      }
    }
    return delivered;
  };

  const schedule = () => {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => void run(false).catch(options.onError), options.intervalMs);
    timer.unref();
  };

  const run = (toHead: boolean): Promise<number> => {
    full ||= toHead;
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let delivered = 0;
      try {
        do {
          again = false;
          const thisOne = full;
          full = false;
          if (!stopped) delivered += await sweepAll(thisOne);
        } while (again && !stopped);
      } finally {
        running = null;
        schedule();
      }
      return delivered;
    })();
    return running;
  };

  return {
    request: () => void run(true).catch(options.onError),
    run: () => run(true),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

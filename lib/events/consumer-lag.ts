import type { Dialect, Em } from '../database.js';
import { missingEvents } from './catch-up.js';
import { inboxConsumerOf, type ConsumerGroup } from './consumer.js';
import { sourceOfStream } from './event.js';
import type { OutboxReader } from './outbox-route.js';
import { readWatermark } from './watermark.js';

/** A source a consumer reads, and the outbox its events can be counted in. */
export interface LagSource {
  source: string;
  /** the inbox consumer of this source's events (lib/events/consumer.ts inboxConsumerOf) */
  consumer: string;
  outbox: OutboxReader;
}

export interface ConsumerLag {
  source: string;
  consumer: string;
  /** the producer's newest position */
  head: number;
  /** every event up to here is applied or a dead letter (the catch-up sweep's watermark) */
  watermark: number;
  /** events among the producer's newest `window` that this consumer has neither applied nor kept as dead letters */
  lag: number;
  /** true when every event looked at was missing and older ones were not looked at: the lag is at least `lag` */
  atLeast: boolean;
}

/** The sources of a consumer group that have an outbox to count in. */
export function lagSources(group: ConsumerGroup, outboxes: Readonly<Record<string, OutboxReader>>): LagSource[] {
  return group.streams.flatMap((stream) => {
    const source = sourceOfStream(stream);
    const outbox = source !== undefined && Object.hasOwn(outboxes, source) ? outboxes[source] : undefined;
    return source !== undefined && outbox ? [{ source, consumer: inboxConsumerOf(group, source), outbox }] : [];
  });
}

const PAGE = 1000;

/**
 * How far one consumer is behind one producer, in events. The watermark only says what the periodic
 * sweep has checked (it trails the head by up to two backfill intervals even when the transport has
 * delivered everything), so the events after it are counted against the inbox: of the producer's
 * newest `window` events (and none before the watermark), those not applied. From a current
 * watermark this is one request to the producer and one statement; else one more request and one
 * statement per 1000 events of the window.
 */
export async function sourceLag(fork: () => Em, dialect: Dialect, target: LagSource, window: number): Promise<ConsumerLag> {
  const { source, consumer } = target;
  const watermark = await readWatermark(fork(), consumer, source);
  const { head } = await target.outbox({ afterPosition: Number.MAX_SAFE_INTEGER, limit: 1 });
  const from = Math.max(watermark, head - window);
  let lag = 0;
  let seen = 0;
  for (let after = from; after < head; ) {
    const page = await target.outbox({ afterPosition: after, limit: Math.min(PAGE, head - after) });
    const events = page.events.filter((event) => event.position <= head);
    const last = events[events.length - 1];
    if (!last) break;
    lag += (await missingEvents(fork(), dialect, consumer, events)).size;
    seen += events.length;
    after = last.position;
  }
  return { source, consumer, head, watermark, lag, atLeast: from > watermark && seen > 0 && lag === seen };
}

/**
 * The lag of every source a consumer reads, measured now (nothing is measured unless asked: no
 * timer, no cache). For readiness and the metrics' gauge alike.
 */
export async function consumerLag(options: { fork: () => Em; dialect: Dialect; sources: readonly LagSource[]; window: number }): Promise<ConsumerLag[]> {
  return Promise.all(options.sources.map((target) => sourceLag(options.fork, options.dialect, target, options.window)));
}

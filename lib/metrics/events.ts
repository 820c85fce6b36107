import { Gauge, type Registry } from 'prom-client';
import type { Em } from '../database.js';
import { OutboxEvent } from '../events/outbox.js';
import { logInternalError } from '../log.js';

/** Read at scrape time only: a service nobody scrapes runs none of these queries. */
export interface EventFigures {
  /** the producer's outbox rows not yet published */
  outboxBacklog?: () => Promise<number>;
  /** the dead letters kept, per inbox consumer (lib/events/dead-letters.ts countDeadLetters) */
  deadLetters?: () => Promise<Record<string, number>>;
  /** events of each stream not yet applied by this consumer */
  consumerLag?: () => Promise<Record<string, number>>;
}

/** The outbox rows waiting for the relay: one count over the (publishedAt, id) index. */
export function unpublishedEvents(em: Em): Promise<number> {
  return em.count(OutboxEvent, { publishedAt: null });
}

/**
 * paygraph_outbox_unpublished_events, paygraph_dead_letters{consumer}, paygraph_event_consumer_lag{stream}.
 * A figure that cannot be read (database down) is left out of that scrape and logged; the rest still answer.
 */
export function eventMetrics(service: string, registry: Registry, figures: EventFigures): { connectConsumerLag: (lag: EventFigures['consumerLag']) => void } {
  const sources = { ...figures };
  const failed = (error: unknown) => logInternalError(`${service} metrics`, error);
  if (sources.outboxBacklog) {
    const read = sources.outboxBacklog;
    new Gauge({
      name: 'paygraph_outbox_unpublished_events',
      help: 'Events in this producer subgraph\'s outbox not yet published to the event transport',
      registers: [registry],
      async collect() {
        this.reset();
        await read().then((count) => this.set(count), failed);
      },
    });
  }
  const perLabel = (name: string, help: string, label: string, read: () => EventFigures['deadLetters']) =>
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      async collect() {
        this.reset();
        const source = read();
        if (!source) return;
        await source().then((counts) => {
          for (const [value, count] of Object.entries(counts)) this.set({ [label]: value }, count);
        }, failed);
      },
    });
  if (sources.deadLetters) perLabel('paygraph_dead_letters', 'Dead letters kept (events this subgraph could not apply), per inbox consumer', 'consumer', () => sources.deadLetters);
  let lagDefined = false;
  return {
    connectConsumerLag: (lag) => {
      sources.consumerLag = lag;
      if (lag && !lagDefined) perLabel('paygraph_event_consumer_lag', 'Events of each stream not yet applied by this consuming subgraph', 'stream', () => sources.consumerLag);
      lagDefined = true;
    },
  };
}

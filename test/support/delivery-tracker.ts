import type { EventEnvelope, EventTransport } from '../../lib/events/event.js';

/** Events of a delivery, whether the transport hands a handler one event or a batch. */
const eventsOf = (delivered: unknown): EventEnvelope[] => (Array.isArray(delivered) ? (delivered as EventEnvelope[]) : [delivered as EventEnvelope]);

/**
 * Wraps a transport to know when the system is quiet: every event published on a stream has been
 * handled (its handler resolved, so its inbox commit is done) by every group subscribed to it.
 */
export function trackDeliveries(inner: EventTransport) {
  const published = new Map<string, Set<string>>();
  const handled = new Map<string, Map<string, Set<string>>>();
  const transport: EventTransport = {
    publish: async (stream, events) => {
      await inner.publish(stream, events);
      const ids = published.get(stream) ?? new Set<string>();
      for (const event of events) ids.add(event.id);
      published.set(stream, ids);
    },
    subscribe: (stream, group, consumer, handler, options) => {
      const groups = handled.get(stream) ?? new Map<string, Set<string>>();
      handled.set(stream, groups);
      const ids = groups.get(group) ?? new Set<string>();
      groups.set(group, ids);
      const wrapped = (async (delivered: unknown) => {
        await (handler as (delivered: unknown) => Promise<void>)(delivered);
        for (const event of eventsOf(delivered)) ids.add(event.id);
      }) as typeof handler;
      return inner.subscribe(stream, group, consumer, wrapped, options);
    },
    tail: (stream, handler) => inner.tail(stream, handler),
    close: () => inner.close(),
  };
  /** every published event handled by every subscribed group */
  const quiet = () => {
    for (const [stream, groups] of handled) {
      const ids = published.get(stream) ?? new Set<string>();
      for (const done of groups.values()) for (const id of ids) if (!done.has(id)) return false;
    }
    return true;
  };
  const publishedCount = () => [...published.values()].reduce((sum, ids) => sum + ids.size, 0);
  return { transport, quiet, publishedCount };
}

import type { EventTransport } from '../../lib/events/event.js';

/**
 * Wraps a transport to know when the system is quiet: every event published on a stream has been
 * handled (its handler said so, so its inbox commit is done) by every group subscribed to it.
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
      return inner.subscribe(
        stream,
        group,
        consumer,
        async (events) => {
          const unhandled = await handler(events);
          const failed = new Set(unhandled.map(({ event }) => event.id));
          for (const event of events) if (!failed.has(event.id)) ids.add(event.id);
          return unhandled;
        },
        options,
      );
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

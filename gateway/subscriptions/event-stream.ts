import type { EventEnvelope } from '../../lib/events/event.js';
import type { FeedListener } from './event-feed.js';

/**
 * One subscription's results, one per matching event, in the order the events arrived. Hand-written
 * rather than an async generator: `return()` (client completes or disconnects) must detach from the
 * feed at once, not at the next event, so an idle subscription frees its listener and its slot.
 */
export function eventStream<T>(
  attach: (listener: FeedListener) => () => void,
  accepts: (event: EventEnvelope) => boolean,
  produce: (event: EventEnvelope) => Promise<T>,
  onEnd: () => void,
): AsyncIterableIterator<T> {
  const queue: EventEnvelope[] = [];
  let waiting: ((event: EventEnvelope | null) => void) | null = null;
  let ended = false;
  const detach = attach((event) => {
    if (ended || !accepts(event)) return;
    if (waiting) {
      const wake = waiting;
      waiting = null;
      wake(event);
    } else queue.push(event);
  });
  const end = (): IteratorResult<T> => {
    if (!ended) {
      ended = true;
      detach();
      queue.length = 0;
      waiting?.(null);
      waiting = null;
      onEnd();
    }
    return { done: true, value: undefined };
  };
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      if (ended) return { done: true, value: undefined };
      const event = queue.shift() ?? (await new Promise<EventEnvelope | null>((resolve) => (waiting = resolve)));
      if (!event || ended) return { done: true, value: undefined };
      try {
        return { done: false, value: await produce(event) };
      } catch (error) {
        end();
        throw error;
      }
    },
    return: async () => end(),
    throw: async (error: unknown) => {
      end();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

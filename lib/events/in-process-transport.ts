import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventEnvelope, EventHandler, EventTransport, Subscription } from './event.js';
import { errorSummary } from '../log.js';
import { logger } from '../logger.js';

const log = logger('events');

const RETRY_DELAY_MS = 100;
/** events handed to a handler at once at most */
const BATCH_SIZE = 100;

interface Group {
  /** index in the stream's log of the next event this group delivers */
  position: number;
  consumers: EventHandler[];
  turn: number;
  delivering: boolean;
  timer: NodeJS.Timeout | undefined;
}

interface Stream {
  log: EventEnvelope[];
  groups: Map<string, Group>;
  tails: Set<(event: EventEnvelope) => void>;
}

/**
 * The embedded default's transport: every service in one process. Each group receives every event
 * once, in publish order, in batches of what is pending for it (at most BATCH_SIZE), one batch at a
 * time; from the first event a handler did not handle (or the whole batch, when it throws), the group
 * gets the events again after a short delay, so nothing is skipped. The log is kept from the start, so
 * a group that subscribes later still gets every event.
 */
export function createInProcessTransport(): EventTransport {
  const streams = new Map<string, Stream>();
  let closed = false;
  // Handlers run in the context the transport was created in, not the publisher's: an ORM's
  // transaction context (AsyncLocalStorage) must not leak from the relay into a consumer.
  const outsidePublisher = AsyncLocalStorage.snapshot();

  const streamOf = (name: string): Stream => {
    let stream = streams.get(name);
    if (!stream) streams.set(name, (stream = { log: [], groups: new Map(), tails: new Set() }));
    return stream;
  };

  const deliver = async (stream: Stream, group: Group): Promise<void> => {
    if (group.delivering || closed) return;
    group.delivering = true;
    try {
      while (!closed && group.position < stream.log.length && group.consumers.length > 0) {
        const handler = group.consumers[group.turn++ % group.consumers.length]!;
        const batch = stream.log.slice(group.position, group.position + BATCH_SIZE);
        const unhandled = await handler(batch).catch((error: unknown) => [{ event: batch[0]!, error }]);
        const failed = new Map(unhandled.map(({ event, error }) => [event.id, error]));
        const firstFailed = batch.findIndex((event) => failed.has(event.id));
        if (firstFailed === -1) {
          group.position += batch.length;
          continue;
        }
        // those after it are delivered again too: handled already, they are duplicates to their handler
        group.position += firstFailed;
        log.warn(`event ${batch[firstFailed]!.id} not handled, retrying: ${errorSummary(failed.get(batch[firstFailed]!.id))}`);
        group.timer = setTimeout(() => outsidePublisher(() => void deliver(stream, group)), RETRY_DELAY_MS);
        return;
      }
    } finally {
      group.delivering = false;
    }
  };

  return {
    publish: async (name, events) => {
      const stream = streamOf(name);
      stream.log.push(...events);
      for (const tail of stream.tails) outsidePublisher(() => events.forEach(tail));
      for (const group of stream.groups.values()) outsidePublisher(() => void deliver(stream, group));
    },
    subscribe: async (name, groupName, _consumer, handler): Promise<Subscription> => {
      const stream = streamOf(name);
      let group = stream.groups.get(groupName);
      if (!group) stream.groups.set(groupName, (group = { position: 0, consumers: [], turn: 0, delivering: false, timer: undefined }));
      group.consumers.push(handler);
      void deliver(stream, group);
      const joined = group;
      return {
        stop: async () => {
          joined.consumers = joined.consumers.filter((h) => h !== handler);
        },
      };
    },
    tail: async (name, handler): Promise<Subscription> => {
      const { tails } = streamOf(name);
      const listener = (event: EventEnvelope) => {
        if (!closed) handler(event);
      };
      tails.add(listener);
      return { stop: async () => void tails.delete(listener) };
    },
    close: async () => {
      closed = true;
      for (const stream of streams.values()) for (const group of stream.groups.values()) clearTimeout(group.timer);
    },
  };
}

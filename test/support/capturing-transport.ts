import type { EventEnvelope, EventHandler, EventTransport } from '../../lib/events/event.js';

/** A subscription the capturing transport took: the test calls its handler, playing the relay. */
export interface CapturedSubscription {
  stream: string;
  group: string;
  consumer: string;
  /** delivers one event as a batch of one: resolves once it is handled, throws why it was not */
  handler: (event: EventEnvelope) => Promise<void>;
  /** the subscription's own handler, for whole batches */
  batchHandler: EventHandler;
  stopped: boolean;
}

/** A transport that hands each subscription's handler to the test, which plays the relays, and keeps what was published. */
export function capturingTransport() {
  const subscriptions: CapturedSubscription[] = [];
  const published: { stream: string; event: EventEnvelope }[] = [];
  const transport: EventTransport = {
    publish: async (stream, events) => void published.push(...events.map((event) => ({ stream, event }))),
    subscribe: async (stream, group, consumer, batchHandler) => {
      const handler = async (event: EventEnvelope) => {
        const [unhandled] = await batchHandler([event]);
        if (unhandled) throw unhandled.error;
      };
      const subscription = { stream, group, consumer, handler, batchHandler, stopped: false };
      subscriptions.push(subscription);
      return { stop: async () => void (subscription.stopped = true) };
    },
    tail: async () => ({ stop: async () => undefined }),
    close: async () => undefined,
  };
  return { transport, subscriptions, published };
}

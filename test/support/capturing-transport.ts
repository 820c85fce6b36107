import type { EventEnvelope, EventHandler, EventTransport } from '../../lib/events/event.js';

/** A subscription the capturing transport took: the test calls its handler, playing the relay. */
export interface CapturedSubscription {
  stream: string;
  group: string;
  consumer: string;
  handler: EventHandler;
  stopped: boolean;
}

/** A transport that hands each subscription's handler to the test, which plays the relays, and keeps what was published. */
export function capturingTransport() {
  const subscriptions: CapturedSubscription[] = [];
  const published: { stream: string; event: EventEnvelope }[] = [];
  const transport: EventTransport = {
    publish: async (stream, events) => void published.push(...events.map((event) => ({ stream, event }))),
    subscribe: async (stream, group, consumer, handler) => {
      const subscription = { stream, group, consumer, handler, stopped: false };
      subscriptions.push(subscription);
      return { stop: async () => void (subscription.stopped = true) };
    },
    tail: async () => ({ stop: async () => undefined }),
    close: async () => undefined,
  };
  return { transport, subscriptions, published };
}

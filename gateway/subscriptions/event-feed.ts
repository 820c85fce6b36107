import { randomBytes } from 'node:crypto';
import { PAYMENT_EVENTS, type EventEnvelope, type EventTransport } from '../../lib/events/event.js';

export type FeedListener = (event: EventEnvelope) => void;

/** Every payment status event this gateway instance sees, fanned out to its open subscriptions. */
export interface EventFeed {
  listen: (listener: FeedListener) => () => void;
  listenerCount: () => number;
  stop: () => Promise<void>;
}

const STATUS_EVENTS = new Set(['payment.created', 'payment.status_changed']);

/**
 * Subscribes to PAYMENT_EVENTS in a consumer group of its own, so every gateway replica sees every
 * event. Listeners only enqueue, so the transport is acknowledged at once and never waits on a client.
 */
export async function startEventFeed(transport: EventTransport): Promise<EventFeed> {
  const listeners = new Set<FeedListener>();
  const group = `gateway-${randomBytes(6).toString('hex')}`;
  const subscription = await transport.subscribe(PAYMENT_EVENTS, group, group, async (event) => {
    if (!STATUS_EVENTS.has(event.type)) return;
    for (const listener of listeners) listener(event);
  });
  return {
    listen(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
    stop: () => subscription.stop(),
  };
}

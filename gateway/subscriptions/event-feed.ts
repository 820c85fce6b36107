import { PAYMENT_EVENTS, type EventEnvelope, type EventTransport } from '../../lib/events/event.js';

export type FeedListener = (event: EventEnvelope) => void;

/**
 * Every payment status event published from now on, for this gateway instance's subscriptions.
 * Listeners register for one merchant's events or for all (null), so an event reaches only the
 * listeners that may see it, however many merchants are subscribed.
 */
export interface EventFeed {
  listen: (merchantId: string | null, listener: FeedListener) => () => void;
  stop: () => Promise<void>;
}

const STATUS_EVENTS = new Set(['payment.created', 'payment.status_changed']);

/**
 * Tails PAYMENT_EVENTS (no consumer group: every replica sees every event, from now on; resuming
 * subscribers replay from the payment subgraph). Listeners only enqueue, so a slow client never
 * holds up the feed. Every other event of the stream (api_key.*: gateway/key-events.ts) goes to `otherEvents`.
 */
export async function startEventFeed(transport: EventTransport, otherEvents?: FeedListener): Promise<EventFeed> {
  const everyMerchant = new Set<FeedListener>();
  const byMerchant = new Map<string, Set<FeedListener>>();
  const tail = await transport.tail(PAYMENT_EVENTS, (event) => {
    if (!STATUS_EVENTS.has(event.type)) return otherEvents?.(event);
    for (const listener of everyMerchant) listener(event);
    const merchantId = event.payload['merchantId'];
    if (typeof merchantId === 'string') for (const listener of byMerchant.get(merchantId) ?? []) listener(event);
  });
  return {
    listen(merchantId, listener) {
      if (merchantId === null) {
        everyMerchant.add(listener);
        return () => void everyMerchant.delete(listener);
      }
      let listeners = byMerchant.get(merchantId);
      if (!listeners) byMerchant.set(merchantId, (listeners = new Set()));
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) byMerchant.delete(merchantId);
      };
    },
    stop: () => tail.stop(),
  };
}

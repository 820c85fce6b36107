/**
 * How the gateway tells a subgraph which event a subscription's primary fetch is about: the outbox
 * event id, carried in the signed request body's `extensions` (so it is covered by the signature).
 */
export const SUBSCRIPTION_EVENT_EXTENSION = 'paygraphEvent';

export interface SubscriptionEventRef {
  /** the envelope's id, `<source>:<outbox id>` */
  eventId: string;
}

export function readSubscriptionEvent(extensions: Record<string, unknown>): SubscriptionEventRef | null {
  const value = extensions[SUBSCRIPTION_EVENT_EXTENSION] as { eventId?: unknown } | undefined;
  return typeof value?.eventId === 'string' ? { eventId: value.eventId } : null;
}

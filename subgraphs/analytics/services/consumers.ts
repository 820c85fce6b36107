import type { Clock } from '../../../lib/clock.js';
import type { Em } from '../../../lib/database.js';
import type { ConsumerGroup } from '../../../lib/events/consumer.js';
import { ACCOUNTING_EVENTS, PAYMENT_EVENTS, type EventEnvelope } from '../../../lib/events/event.js';
import { MetricsProjection } from './projection.js';

/**
 * Analytics projects the payment and accounting events. Both streams name a payment as their
 * aggregate but number its events independently, so each source has its own inbox positions.
 */
export const ANALYTICS_CONSUMER: ConsumerGroup = { group: 'analytics', streams: [PAYMENT_EVENTS, ACCOUNTING_EVENTS] };

/** How the metrics take events: a batch folded at once (new events, in order, in the batch's transaction), or one event as a batch of one. */
export interface MetricsConsumer {
  applyBatch: (tx: Em, events: readonly EventEnvelope[]) => Promise<void>;
  apply: (tx: Em, event: EventEnvelope) => Promise<void>;
}

export function metricsConsumer(clock: Clock): MetricsConsumer {
  const projection = new MetricsProjection(clock);
  const applyBatch = (tx: Em, events: readonly EventEnvelope[]) => projection.applyBatch(tx, events);
  return { applyBatch, apply: (tx, event) => applyBatch(tx, [event]) };
}

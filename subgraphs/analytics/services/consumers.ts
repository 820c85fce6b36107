import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import type { ConsumerGroup } from '../../../lib/events/consumer.js';
import { ACCOUNTING_EVENTS, PAYMENT_EVENTS, type EventEnvelope } from '../../../lib/events/event.js';
import { MetricsProjection } from './projection.js';

/**
 * Analytics projects the payment and accounting events. Both streams name a payment as their
 * aggregate but number its events independently, so each source has its own inbox positions.
 */
export const ANALYTICS_CONSUMER: ConsumerGroup = { group: 'analytics', streams: [PAYMENT_EVENTS, ACCOUNTING_EVENTS] };

/** The effect of one event on the metrics, by the subgraph that wrote it. */
export function metricsEffect(dialect: Dialect, clock: Clock): (tx: Em, event: EventEnvelope) => Promise<void> {
  const projection = new MetricsProjection(dialect, clock);
  return (tx, event) => {
    if (event.source === 'payment') return projection.applyPaymentEvent(tx, event);
    if (event.source === 'accounting') return projection.applyAccountingEvent(tx, event);
    throw new Error(`analytics does not consume events of ${event.source}`);
  };
}

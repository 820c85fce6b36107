import type { Clock } from '../../../lib/clock.js';
import type { Dialect, Em } from '../../../lib/database.js';
import { ACCOUNTING_EVENTS, PAYMENT_EVENTS, type EventEnvelope } from '../../../lib/events/event.js';
import { applyOnce, type ApplyOutcome } from '../../../lib/events/inbox.js';
import { MetricsProjection } from './projection.js';

/** The consumer group on both streams: replicas share it, so each event is applied by one of them. */
export const GROUP = 'analytics';

export type ConsumedStream = typeof PAYMENT_EVENTS | typeof ACCOUNTING_EVENTS;

/**
 * The handler of each stream. Both streams name a payment as their aggregate but number its events
 * independently, so each has its own inbox position per payment (consumer `analytics:<source>`).
 */
export function metricsConsumers(fork: () => Em, dialect: Dialect, clock: Clock): Record<ConsumedStream, (event: EventEnvelope) => Promise<ApplyOutcome>> {
  const projection = new MetricsProjection(dialect, clock);
  return {
    [PAYMENT_EVENTS]: (event) => applyOnce(fork(), dialect, `${GROUP}:payment`, event, (tx) => projection.applyPaymentEvent(tx, event)),
    [ACCOUNTING_EVENTS]: (event) => applyOnce(fork(), dialect, `${GROUP}:accounting`, event, (tx) => projection.applyAccountingEvent(tx, event)),
  };
}

import type { EventEnvelope } from '../../lib/events/event.js';
import { canSeeMerchant, type Principal } from '../../lib/principal.js';

/**
 * Which events a subscriber receives, decided before any execution: a MERCHANT key its own merchant's
 * payments, ADMIN all (ANALYST keys cannot subscribe), one payment's when paymentId is given. The payment
 * subgraph checks again when it answers the event's fetch.
 */
export function eventFilter(principal: Principal, paymentId: string | null): (event: EventEnvelope) => boolean {
  return (event) => {
    const merchantId = event.payload['merchantId'];
    if (typeof merchantId !== 'string' || !canSeeMerchant(principal, merchantId)) return false;
    return paymentId === null || event.aggregateId === paymentId;
  };
}

import type { Em } from '../../../lib/database.js';
import { OutboxEvent } from '../../../lib/outbox.js';
import { canSeeMerchant, type Principal } from '../../../lib/principal.js';
import type { PaymentStatus } from '../entities/Payment.js';

/** One change of a payment's status, as the Subscription delivers it (`payment` resolves by id). */
export interface PaymentStatusEventRecord {
  cursor: string;
  paymentId: string;
  previousStatus: PaymentStatus | null;
  status: PaymentStatus;
  occurredAt: Date;
}

const STATUS_EVENTS = new Set(['payment.created', 'payment.status_changed']);

/**
 * The status event recorded in this subgraph's outbox under `eventId` (`payment:<outbox id>`), when the
 * principal may see its payment and it matches the subscription's paymentId; otherwise null.
 */
export async function findStatusEvent(
  em: Em,
  principal: Principal,
  eventId: string,
  paymentId: string | null | undefined,
): Promise<PaymentStatusEventRecord | null> {
  const match = /^payment:(\d+)$/.exec(eventId);
  if (!match) return null;
  const row = await em.findOne(OutboxEvent, { id: Number(match[1]) });
  if (!row || !STATUS_EVENTS.has(row.type)) return null;
  const payload = row.payload as { merchantId?: string; status?: PaymentStatus; previousStatus?: PaymentStatus | null };
  if (!payload.merchantId || !payload.status || !canSeeMerchant(principal, payload.merchantId)) return null;
  if (paymentId && paymentId !== row.aggregateId) return null;
  return {
    cursor: eventId,
    paymentId: row.aggregateId,
    previousStatus: payload.previousStatus ?? null,
    status: payload.status,
    occurredAt: row.occurredAt,
  };
}

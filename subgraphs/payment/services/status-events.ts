import type { Em } from '../../../lib/database.js';
import { encodeEventCursor } from '../../../lib/events/event-cursor.js';
import type { EventEnvelope } from '../../../lib/events/event.js';
import { envelope } from '../../../lib/events/outbox-relay.js';
import { OutboxEvent } from '../../../lib/events/outbox.js';
import { canSeeMerchant, type Principal } from '../../../lib/principal.js';
import { paymentStatePayload } from '../contract/events.js';
import type { PaymentStatus } from '../entities/Payment.js';
import { acceptedCursor, assertIssuedPosition } from './event-cursors.js';

/** One change of a payment's status, as the Subscription delivers it (`payment` resolves by id). */
export interface PaymentStatusEventRecord {
  cursor: string;
  paymentId: string;
  previousStatus: PaymentStatus | null;
  status: PaymentStatus;
  occurredAt: Date;
}

const STATUS_EVENTS = ['payment.created', 'payment.status_changed'];
const statusChange = paymentStatePayload.pick({ merchantId: true, status: true, previousStatus: true });

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
  if (!row?.position || !STATUS_EVENTS.includes(row.type)) return null;
  const parsed = statusChange.safeParse(row.payload);
  if (!parsed.success || !canSeeMerchant(principal, parsed.data.merchantId)) return null;
  const payload = parsed.data;
  if (paymentId && paymentId !== row.aggregateId) return null;
  return {
    cursor: encodeEventCursor({ position: row.position, occurredAt: row.occurredAt }),
    paymentId: row.aggregateId,
    previousStatus: payload.previousStatus,
    status: payload.status,
    occurredAt: row.occurredAt,
  };
}

export interface StatusEventsPage {
  /** the events after the cursor that match, in position order */
  events: EventEnvelope[];
  /** the position to ask after next */
  next: number;
  /** no event with a position after `next` exists yet */
  done: boolean;
}

export interface StatusEventsRequest {
  after: string;
  paymentId: string | null;
  /** only this merchant's events; null: every merchant's */
  merchantId: string | null;
  limit: number;
}

/**
 * A page of status events after a subscription cursor, for a subscriber that resumes. The cursor must
 * be one this API issued and not older than the retention; events after it are all still kept.
 */
export async function statusEventsAfter(em: Em, request: StatusEventsRequest, now: Date, retentionMs: number): Promise<StatusEventsPage> {
  const cursor = acceptedCursor(request.after, now, retentionMs, 'subscribe without after to start from now');
  const page = await statusEventsAfterPosition(em, { ...request, after: cursor.position });
  if (page.next === cursor.position) await assertIssuedPosition(em, cursor.position);
  return page;
}

/** The next page after a position this subgraph returned as `next`. */
export async function statusEventsAfterPosition(
  em: Em,
  request: Omit<StatusEventsRequest, 'after'> & { after: number },
): Promise<StatusEventsPage> {
  const rows = await em.find(
    OutboxEvent,
    { position: { $gt: request.after }, ...(request.paymentId ? { aggregateId: request.paymentId } : {}) },
    { orderBy: { position: 'asc' }, limit: request.limit },
  );
  const events = rows
    .filter((row) => STATUS_EVENTS.includes(row.type))
    .filter((row) => request.merchantId === null || row.payload['merchantId'] === request.merchantId)
    .map((row) => envelope('payment', row));
  return { events, next: rows.at(-1)?.position ?? request.after, done: rows.length < request.limit };
}

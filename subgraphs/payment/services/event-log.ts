import type { FilterQuery } from '@mikro-orm/core';
import type { Em } from '../../../lib/database.js';
import { fail } from '../../../lib/errors.js';
import { encodeEventCursor } from '../../../lib/events/event-cursor.js';
import { OutboxEvent } from '../../../lib/events/outbox.js';
import type { Page } from '../../../lib/pagination.js';
import { validatePageSize } from '../../../lib/pagination.js';
import { selectPlain } from '../../../lib/plain-rows.js';
import { canSeeMerchant, type Principal } from '../../../lib/principal.js';
import { isPartnerEventType, outboxTypesOf, PARTNER_EVENT_TYPES, partnerEvent, type PartnerEvent } from '../contract/partner-events.js';
import { acceptedCursor, assertIssuedPosition } from './event-cursors.js';

/** One event of the log as the events query answers it (`payment` and `refund` resolve by id). */
export interface PartnerEventRecord extends PartnerEvent {
  id: string;
  cursor: string;
  createdAt: Date;
}

export interface EventFilter {
  types?: string[] | null;
  paymentId?: string | null;
}

export interface EventLogOptions {
  now: Date;
  /** how long events are kept: an older cursor is refused, and without one the page starts at that age */
  retentionMs: number;
}

/** An event's public id: the same for the events query and every webhook delivery of it (webhook-id). */
export function partnerEventId(outboxId: number): string {
  return `evt_${outboxId}`;
}

/** The outbox id an event id names; null when it names none. */
export function outboxIdOf(eventId: string): number | null {
  const match = /^evt_(\d{1,15})$/.exec(eventId);
  return match ? Number(match[1]) : null;
}

const EVERY_OUTBOX_TYPE = PARTNER_EVENT_TYPES.flatMap(outboxTypesOf);

/** An outbox row as the log shows it; null when it is not a partner's event or not yet placed. */
export function partnerEventRecord(row: OutboxEvent): PartnerEventRecord | null {
  if (row.position === null || row.position === undefined) return null;
  const event = partnerEvent(row.type, row.payload);
  if (!event) return null;
  return { ...event, id: partnerEventId(row.id), cursor: encodeEventCursor({ position: row.position, occurredAt: row.occurredAt }), createdAt: row.occurredAt };
}

function outboxTypes(types: string[] | null | undefined): string[] {
  if (!types?.length) return EVERY_OUTBOX_TYPE;
  const unknown = types.filter((type) => !isPartnerEventType(type));
  if (unknown.length > 0) throw fail.badInput('filter.types', `${unknown.join(', ')}: not an event type; the types are ${PARTNER_EVENT_TYPES.join(', ')}`);
  return [...new Set(types.filter(isPartnerEventType).flatMap(outboxTypesOf))];
}

/**
 * The events a principal may see, oldest first, after a cursor of this log or of paymentStatusChanged
 * (one position order): one statement a page, on the outbox's (merchant, position) index for a merchant's log.
 * Without a cursor the page starts at the oldest event kept.
 */
export async function listEvents(
  em: Em,
  principal: Principal,
  args: { first?: number | null; after?: string | null; filter?: EventFilter | null },
  options: EventLogOptions,
): Promise<Page<PartnerEventRecord>> {
  const size = validatePageSize(args.first, undefined, 1);
  const types = outboxTypes(args.filter?.types);
  const cursor = args.after ? acceptedCursor(args.after, options.now, options.retentionMs, 'page again without after to start from the oldest event kept') : null;
  const conditions: FilterQuery<OutboxEvent>[] = [{ type: { $in: types } }];
  // a merchant's key (MERCHANT, or ANALYST bound to it) reads its merchant's log; ADMIN and platform-wide ANALYST every merchant's
  if (principal.merchantId) conditions.push({ merchantId: principal.merchantId });
  else if (principal.role === 'MERCHANT') throw fail.forbidden();
  if (args.filter?.paymentId) conditions.push({ aggregateId: args.filter.paymentId });
  if (cursor) conditions.push({ position: { $gt: cursor.position } });
  else conditions.push({ position: { $ne: null } }, { occurredAt: { $gte: new Date(options.now.getTime() - options.retentionMs) } });
  const query = em.createQueryBuilder(OutboxEvent).select('*').where({ $and: conditions }).orderBy({ position: 'asc' }).limit(size + 1);
  const rows = await selectPlain(em, OutboxEvent, query);
  if (cursor && rows.length === 0) await assertIssuedPosition(em, cursor.position);
  const nodes = rows.slice(0, size).map((row) => {
    const record = partnerEventRecord(row);
    if (!record) throw new Error(`outbox event ${row.id} (${row.type}) is no partner event`);
    return record;
  });
  const edges = nodes.map((node) => ({ cursor: node.cursor, node }));
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** An event by its public id, when the principal may see it. */
export function visibleEvent(principal: Principal, record: PartnerEventRecord | null): PartnerEventRecord | null {
  return record && canSeeMerchant(principal, record.merchantId) ? record : null;
}

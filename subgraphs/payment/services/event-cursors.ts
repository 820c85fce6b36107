import type { Em } from '../../../lib/database.js';
import { fail } from '../../../lib/errors.js';
import { decodeEventCursor, type EventCursor } from '../../../lib/events/event-cursor.js';
import { OutboxEvent } from '../../../lib/events/outbox.js';

/**
 * A client's `after`, as paymentStatusChanged and the events query take it: a cursor this API issued
 * and not older than the retention (the events after it are then all still kept). `restart` says how
 * to begin again when it is older.
 */
export function acceptedCursor(after: string, now: Date, retentionMs: number, restart: string): EventCursor {
  const cursor = decodeEventCursor(after);
  if (!cursor) throw fail.badInput('after', 'is not a cursor of this API; pass the cursor of an event you received');
  if (cursor.occurredAt.getTime() < now.getTime() - retentionMs) {
    const days = Math.round((retentionMs / 86_400_000) * 10) / 10;
    throw fail.badInput('after', `the cursor is older than the ${days} days events are kept; ${restart}`);
  }
  return cursor;
}

/** When nothing follows a cursor: refuses one past the newest event (one this API never issued). */
export async function assertIssuedPosition(em: Em, position: number): Promise<void> {
  const newest = await em.findOne(OutboxEvent, { position: { $ne: null } }, { orderBy: { position: 'desc' }, fields: ['position'] });
  if ((newest?.position ?? 0) < position) throw fail.badInput('after', 'names no event of this API; pass the cursor of an event you received');
}

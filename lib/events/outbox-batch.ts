import type { Dialect, Em } from '../database.js';
import { OutboxEvent } from './outbox.js';

const COLUMNS = ['id', 'aggregate_type', 'aggregate_id', 'sequence', 'type', 'payload', 'merchant_id', 'occurred_at', 'position', 'published_at'];

function outboxTable(em: Em, dialect: Dialect): string {
  const schema = em.config.get('schema');
  return dialect === 'postgresql' && schema ? `"${schema}"."${OutboxEvent.meta.tableName}"` : `"${OutboxEvent.meta.tableName}"`;
}

/**
 * The next batch to publish, in one autocommitted statement: the unpublished rows that already have a
 * position (a batch published but not marked before a crash, or placed by another relay), lowest
 * first, then the committed rows without one, which get the next positions in id order. The positions
 * are committed when this returns, before anything is published. Two relays placing at once cannot
 * share a position: the one that read the older maximum fails on the unique index and tries again.
 * The rows come back in position order.
 */
export async function placeBatch(em: Em, dialect: Dialect, limit: number): Promise<OutboxEvent[]> {
  const table = outboxTable(em, dialect);
  const rows = await em.execute<Record<string, unknown>[]>(
    `update ${table} as o set "position" = coalesce(o."position", head.base + head.rn)
     from (
       select unpublished.id as outbox_id,
         row_number() over (partition by unpublished."position" is null order by unpublished.id) as rn,
         (select coalesce(max("position"), 0) from ${table}) as base
       from (select id, "position" from ${table} where "published_at" is null order by "position" is null, "position", id limit ?) as unpublished
     ) as head
     where o.id = head.outbox_id and o."published_at" is null
     returning ${COLUMNS.map((column) => `"${column}"`).join(', ')}`,
    [limit],
  );
  return rows.map((row) => em.map(OutboxEvent, row)).sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

/** Marks a published batch, in one statement. */
export async function markPublished(em: Em, ids: readonly number[], at: Date): Promise<void> {
  if (ids.length > 0) await em.nativeUpdate(OutboxEvent, { id: { $in: [...ids] } }, { publishedAt: at });
}

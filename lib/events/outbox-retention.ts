import type { Em } from '../database.js';
import { IntervalJob } from '../interval-job.js';
import { OutboxEvent } from './outbox.js';

/**
 * Deletes published events that occurred before `cutoff`, taking only a prefix of the position order:
 * every event after the oldest one still kept is kept, so a cursor not older than the cutoff always
 * replays without a gap. The newest event is never deleted: the next position follows it.
 */
export async function pruneOutbox(em: Em, cutoff: Date): Promise<number> {
  return em.transactional(async (tx) => {
    const newest = await tx.findOne(OutboxEvent, { position: { $ne: null } }, { orderBy: { position: 'desc' }, fields: ['position'] });
    if (!newest?.position) return 0;
    const oldestKept = await tx.findOne(
      OutboxEvent,
      { position: { $ne: null }, $or: [{ occurredAt: { $gte: cutoff } }, { publishedAt: null }] },
      { orderBy: { position: 'asc' }, fields: ['position'] },
    );
    const keepFrom = Math.min(oldestKept?.position ?? newest.position, newest.position);
    return tx.nativeDelete(OutboxEvent, { position: { $lt: keepFrom }, publishedAt: { $ne: null } });
  });
}

/** Prunes every `intervalMs`, one run at a time; the events kept are those of the last `retentionMs`. */
export function startOutboxPruning(options: {
  fork: () => Em;
  now: () => Date;
  retentionMs: number;
  intervalMs: number;
  onError: (error: unknown) => void;
}): IntervalJob {
  return new IntervalJob(
    () => pruneOutbox(options.fork(), new Date(options.now().getTime() - options.retentionMs)),
    options.intervalMs,
    options.onError,
  );
}

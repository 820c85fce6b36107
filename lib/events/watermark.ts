import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Em } from '../database.js';

/**
 * How far a consumer's catch-up sweep has come through a producer's outbox: every event of `source`
 * up to `position` has been applied or dead-lettered by `consumer` (its inbox consumer name). The
 * transport usually applies them first; the sweep only checks, and applies what the transport lost.
 */
export const EventWatermark = defineEntity({
  name: 'EventWatermark',
  tableName: 'event_watermarks',
  properties: {
    consumer: p.string().primary(),
    source: p.string().primary(),
    position: p.bigint('number'),
    updatedAt: p.datetime(3),
  },
});
export type EventWatermark = InferEntity<typeof EventWatermark>;

export async function readWatermark(em: Em, consumer: string, source: string): Promise<number> {
  const row = await em.findOne(EventWatermark, { consumer, source }, { fields: ['position'] });
  return row?.position ?? 0;
}

/** Moves the watermark forward (never back: replicas sweep concurrently). */
export async function advanceWatermark(em: Em, consumer: string, source: string, position: number, now: Date): Promise<void> {
  await em
    .createQueryBuilder(EventWatermark)
    .insert({ consumer, source, position, updatedAt: now })
    .onConflict(['consumer', 'source'])
    .merge({ position, updatedAt: now })
    .where({ position: { $lt: position } })
    .execute();
}

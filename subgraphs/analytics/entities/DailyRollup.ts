import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

/**
 * The payments created in one UTC day, per channel, currency and current status, of every merchant
 * together: their count and sums. The hourly rollup keeps a row per merchant, so with many merchants
 * it is nearly as large as the facts; a question about the whole platform (no MERCHANT dimension, no
 * merchant scope or filter) over whole days reads this one instead, a few rows a day. Updated in the
 * transaction that changes a fact, after the hourly rows (services/rollup.ts), so that it always
 * equals the sum of the facts. The ISO week and month the day falls in are stored beside it.
 */
export const DailyRollup = defineEntity({
  name: 'DailyRollup',
  tableName: 'daily_rollups',
  properties: {
    dayStart: p.datetime(3).primary(),
    channel: p.string().primary(),
    currency: p.string().length(3).primary(),
    status: p.string().primary(),
    weekStart: p.datetime(3),
    monthStart: p.datetime(3),
    payments: p.integer(),
    captured: minorUnits(),
    refunded: minorUnits(),
    fee: minorUnits(),
  },
});
export type DailyRollup = InferEntity<typeof DailyRollup>;

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

/**
 * The payments created in one UTC hour, per merchant, channel, currency and current status: their
 * count and sums. Updated in the transaction that changes a fact (services/rollup.ts), so that it
 * always equals the sum of the facts. The day, ISO week and month the hour falls in are stored beside
 * it, so that coarser buckets are a GROUP BY on a column in either database.
 */
export const HourlyRollup = defineEntity({
  name: 'HourlyRollup',
  tableName: 'hourly_rollups',
  properties: {
    hourStart: p.datetime(3).primary(),
    merchantId: p.string().primary(),
    channel: p.string().primary(),
    currency: p.string().length(3).primary(),
    status: p.string().primary(),
    dayStart: p.datetime(3),
    weekStart: p.datetime(3),
    monthStart: p.datetime(3),
    payments: p.integer(),
    captured: minorUnits(),
    refunded: minorUnits(),
    fee: minorUnits(),
  },
  indexes: [{ properties: ['merchantId', 'hourStart'] }],
});
export type HourlyRollup = InferEntity<typeof HourlyRollup>;

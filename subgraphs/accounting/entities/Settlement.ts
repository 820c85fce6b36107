import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

/**
 * A captured payment's funds waiting in the merchant's pending account. `amount` is what is still to
 * move to available: the net at capture, less the refunds booked before settlement (it can go below
 * zero when a refund exceeds the net, since fees are not returned).
 */
export const Settlement = defineEntity({
  name: 'Settlement',
  tableName: 'settlements',
  properties: {
    paymentId: p.string().primary(),
    merchantId: p.string(),
    currency: p.string().length(3),
    amount: minorUnits(),
    settleAt: p.datetime(3),
    settledAt: p.datetime(3).nullable(),
  },
  indexes: [{ properties: ['settledAt', 'settleAt'] }],
});
export type Settlement = InferEntity<typeof Settlement>;

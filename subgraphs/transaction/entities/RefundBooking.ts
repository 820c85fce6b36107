import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

/**
 * One row per refund the subgraph has heard of, from either stream. Both the refund's own events
 * (payment stream) and its booking (accounting stream) lock it first, so the two cannot pass each
 * other: the streams are consumed independently, and accounting.refund_booked can come before
 * refund.created. Accounting's figures wait here until the refund's record exists (booked fields
 * null: not booked yet).
 */
export const RefundBooking = defineEntity({
  name: 'RefundBooking',
  tableName: 'refund_bookings',
  properties: {
    refundId: p.string().primary(),
    paymentId: p.string(),
    currency: p.string().length(3).nullable(),
    amount: minorUnits().nullable(),
    fee: minorUnits().nullable(),
    net: minorUnits().nullable(),
    bookedAt: p.datetime(3).nullable(),
  },
});
export type RefundBooking = InferEntity<typeof RefundBooking>;

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

/**
 * Accounting's figures of a refund that arrived before the refund itself: the accounting and payment
 * streams are consumed independently, so accounting.refund_booked can come before refund.created.
 * The refund's record takes them when it is created, and the row is removed.
 */
export const RefundBooking = defineEntity({
  name: 'RefundBooking',
  tableName: 'refund_bookings',
  properties: {
    refundId: p.string().primary(),
    paymentId: p.string(),
    currency: p.string().length(3),
    amount: minorUnits(),
    fee: minorUnits(),
    net: minorUnits(),
    bookedAt: p.datetime(3),
  },
});
export type RefundBooking = InferEntity<typeof RefundBooking>;

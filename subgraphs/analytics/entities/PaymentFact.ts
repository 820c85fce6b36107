import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

/**
 * One payment as analytics counts it, kept current from the payment events (status, amounts, refunds)
 * and accounting's (fee). The two streams are independent, so accounting's booking may come first:
 * such a row has no status and no createdAt until the payment's own events arrive, and counts
 * nowhere (not in the rollup, not in a range) until then.
 */
export const PaymentFact = defineEntity({
  name: 'PaymentFact',
  tableName: 'payment_facts',
  properties: {
    paymentId: p.string().primary(),
    merchantId: p.string(),
    channel: p.string(),
    currency: p.string().length(3),
    status: p.string().nullable(),
    /** the payment's creation time: every figure of the payment is counted at this time */
    createdAt: p.datetime(3).nullable(),
    /** minor units: what was asked, what was captured, what succeeded refunds returned */
    amount: minorUnits(),
    captured: minorUnits(),
    refunded: minorUnits(),
    /** the fee accounting booked, less any fee it returned with refunds */
    fee: minorUnits(),
    updatedAt: p.datetime(3),
  },
  indexes: [{ properties: ['createdAt'] }, { properties: ['merchantId', 'createdAt'] }],
});
export type PaymentFact = InferEntity<typeof PaymentFact>;

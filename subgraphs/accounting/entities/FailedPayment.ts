import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

/**
 * A payment that ended FAILED or CANCELED after its provider had named it. Nothing is booked for it;
 * it is kept so that reconciliation can tell a statement listing it as paid (a status mismatch) from
 * a payment we never heard of.
 */
export const FailedPayment = defineEntity({
  name: 'FailedPayment',
  tableName: 'failed_payments',
  properties: {
    paymentId: p.string().primary(),
    merchantId: p.string(),
    channel: p.string(),
    currency: p.string().length(3),
    amount: minorUnits(),
    status: p.enum(['FAILED', 'CANCELED'] as const),
    providerReference: p.string(),
    endedAt: p.datetime(3),
  },
});
export type FailedPayment = InferEntity<typeof FailedPayment>;

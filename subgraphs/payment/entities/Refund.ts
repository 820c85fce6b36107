import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export const Refund = defineEntity({
  name: 'Refund',
  tableName: 'refunds',
  properties: {
    id: p.string().primary(),
    paymentId: p.string().index(),
    merchantId: p.string(),
    currency: p.string().length(3),
    amount: minorUnits(),
    status: p.enum(['PENDING', 'SUCCEEDED', 'FAILED'] as const),
    reason: p.text().nullable(),
    failureCode: p.string().nullable(),
    providerReference: p.string().nullable(),
    /** when the recovery job last asked the provider about this refund */
    providerCheckedAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3),
    updatedAt: p.datetime(3),
  },
  indexes: [{ properties: ['status', 'updatedAt'] }],
});
export type Refund = InferEntity<typeof Refund>;

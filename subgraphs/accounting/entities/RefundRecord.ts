import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

export const refundRecordStatuses = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;

/**
 * What accounting keeps of each refund, from the refund events (created, then succeeded or failed):
 * enough to reconcile it against a provider's statement without asking the payment subgraph.
 */
export const RefundRecord = defineEntity({
  name: 'RefundRecord',
  tableName: 'refund_records',
  properties: {
    refundId: p.string().primary(),
    paymentId: p.string().index(),
    merchantId: p.string(),
    channel: p.string(),
    currency: p.string().length(3),
    amount: minorUnits(),
    status: p.enum([...refundRecordStatuses]),
    /** the provider's id of the refund itself, where it gives one */
    providerReference: p.string().nullable(),
    createdAt: p.datetime(3),
    /** when it succeeded: its provider day is the statement that should list it */
    succeededAt: p.datetime(3).nullable(),
  },
  indexes: [{ properties: ['channel', 'succeededAt'] }],
});
export type RefundRecord = InferEntity<typeof RefundRecord>;

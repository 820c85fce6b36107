import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

export const discrepancyTypes = ['MISSING_INTERNAL', 'MISSING_PROVIDER', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE'] as const;
export type DiscrepancyType = (typeof discrepancyTypes)[number];

/** One difference between a provider's statement and our records, at its position in its report. */
export const ReconciliationDiscrepancy = defineEntity({
  name: 'ReconciliationDiscrepancy',
  tableName: 'reconciliation_discrepancies',
  properties: {
    reportId: p.string().primary(),
    position: p.integer().primary(),
    type: p.enum([...discrepancyTypes]),
    paymentId: p.string().nullable(),
    refundId: p.string().nullable(),
    providerReference: p.string().nullable(),
    /** ours */
    expectedAmount: minorUnits().nullable(),
    expectedCurrency: p.string().length(3).nullable(),
    /** the provider's */
    actualAmount: minorUnits().nullable(),
    actualCurrency: p.string().length(3).nullable(),
    detail: p.text(),
  },
});
export type ReconciliationDiscrepancy = InferEntity<typeof ReconciliationDiscrepancy>;

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

/**
 * What accounting keeps of a captured payment, from the payment events: enough to book its refunds
 * and to answer Payment.fee and Payment.net without asking the payment subgraph. A row exists once
 * the payment is captured.
 */
export const PaymentFigures = defineEntity({
  name: 'PaymentFigures',
  tableName: 'payment_figures',
  properties: {
    paymentId: p.string().primary(),
    merchantId: p.string(),
    channel: p.string(),
    currency: p.string().length(3),
    captured: minorUnits(),
    fee: minorUnits(),
    refunded: minorUnits(),
    capturedAt: p.datetime(3),
    /** the sequence of this payment's last event in accounting's outbox */
    eventSequence: p.integer().default(0),
    /** the provider's id of the payment (authorization, trade number), as its statements list it; null if it never gave one */
    providerReference: p.string().nullable(),
  },
  // reconciliation reads a channel's captures of one provider day
  indexes: [{ properties: ['channel', 'capturedAt'] }],
});
export type PaymentFigures = InferEntity<typeof PaymentFigures>;

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

export const paymentStatuses = [
  'REQUIRES_CONFIRMATION',
  'REQUIRES_ACTION',
  'PROCESSING',
  'REQUIRES_CAPTURE',
  'SUCCEEDED',
  'FAILED',
  'CANCELED',
] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

export const paymentChannels = ['CARD', 'ALIPAY', 'WECHAT_PAY'] as const;
export type PaymentChannel = (typeof paymentChannels)[number];

/** A money-moving operation whose intent is committed and whose provider call has not been settled yet. */
export const pendingOperations = ['CONFIRM', 'CAPTURE', 'CANCEL'] as const;
export type PendingOperation = (typeof pendingOperations)[number];

export type CaptureMethod = 'AUTOMATIC' | 'MANUAL';

export interface NextAction {
  type: 'QR_CODE' | 'REDIRECT';
  url: string;
}

export interface CardSummary {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

/** Amounts are minor units of `currency`. */
export const Payment = defineEntity({
  name: 'Payment',
  tableName: 'payments',
  properties: {
    id: p.string().primary(),
    merchantId: p.string(),
    currency: p.string().length(3),
    amount: minorUnits(),
    amountCapturable: minorUnits(),
    amountReceived: minorUnits(),
    amountRefunded: minorUnits(),
    channel: p.enum([...paymentChannels]),
    captureMethod: p.enum(['AUTOMATIC', 'MANUAL'] as const),
    status: p.enum([...paymentStatuses]),
    nextAction: p.json<NextAction>().nullable(),
    failureCode: p.string().nullable(),
    failureMessage: p.string().nullable(),
    description: p.text().nullable(),
    metadata: p.json<Record<string, unknown>>().nullable(),
    card: p.json<CardSummary>().nullable(),
    cancellationReason: p.text().nullable(),
    /** the provider's id for this payment (authorization, trade number) */
    providerReference: p.string().nullable(),
    /** when an unpaid payment waiting for its payer (a QR code) expires and is closed */
    expiresAt: p.datetime(3).nullable(),
    /** the operation in flight at the provider (its intent committed, its outcome not yet): no other may start meanwhile */
    pendingOperation: p.enum([...pendingOperations]).nullable(),
    /** what a CAPTURE in flight captures */
    pendingAmount: minorUnits().nullable(),
    /** when the recovery job last asked the provider about this payment */
    providerCheckedAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3),
    updatedAt: p.datetime(3),
    /** the sequence of this payment's (and its refunds') last outbox event */
    eventSequence: p.integer().default(0),
    version: p.integer().version(),
  },
  indexes: [
    { properties: ['merchantId', 'createdAt', 'id'] },
    { properties: ['createdAt', 'id'] },
    { properties: ['status', 'updatedAt'] },
  ],
});
export type Payment = InferEntity<typeof Payment>;

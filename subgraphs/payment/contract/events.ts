import { z } from 'zod';
import type { EventContract, ParsedPayload } from '../../../lib/events/event-contract.js';
import { currencyField, idField, minorUnitsField, timestampField } from '../../../lib/events/payload-fields.js';
import { paymentChannels, paymentStatuses } from '../entities/Payment.js';

/**
 * The payment subgraph's events (stream payment-events, aggregate `payment`: a payment and its refunds
 * share the payment's id and one gapless sequence). Every consumer reads them with these schemas.
 */

export const paymentChannelField = z.enum(paymentChannels);
const paymentStatusField = z.enum(paymentStatuses);
/** absent from events written before payloads carried it */
const providerReferenceField = z
  .string()
  .min(1)
  .nullable()
  .optional()
  .transform((value) => value ?? null);

/** payment.created and payment.status_changed: the payment as it is after the change. */
export const paymentStatePayload = z.object({
  paymentId: idField,
  merchantId: idField,
  channel: paymentChannelField,
  captureMethod: z.enum(['AUTOMATIC', 'MANUAL']),
  currency: currencyField,
  amount: minorUnitsField,
  amountCapturable: minorUnitsField,
  amountReceived: minorUnitsField,
  amountRefunded: minorUnitsField,
  status: paymentStatusField,
  /** null on payment.created */
  previousStatus: paymentStatusField.nullable(),
  failureCode: z.string().nullable(),
  /** the provider's id of the payment (authorization, trade number): what its statements list it by */
  providerReference: providerReferenceField,
  createdAt: timestampField,
});

/** refund.created, refund.succeeded and refund.failed: the refund as it is after the change. */
export const refundPayload = z.object({
  refundId: idField,
  paymentId: idField,
  merchantId: idField,
  channel: paymentChannelField,
  currency: currencyField,
  amount: minorUnitsField,
  status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED']),
  failureCode: z.string().nullable(),
  providerReference: providerReferenceField,
  createdAt: timestampField,
});

export const paymentEvents = {
  'payment.created': paymentStatePayload,
  'payment.status_changed': paymentStatePayload,
  'refund.created': refundPayload,
  'refund.succeeded': refundPayload,
  'refund.failed': refundPayload,
} as const satisfies EventContract;

export type PaymentEventType = keyof typeof paymentEvents;
export type RefundEventType = 'refund.created' | 'refund.succeeded' | 'refund.failed';
export type PaymentStatePayload = ParsedPayload<typeof paymentEvents, 'payment.status_changed'>;
export type RefundPayload = ParsedPayload<typeof paymentEvents, RefundEventType>;

import { z } from 'zod';
import type { EventEnvelope } from '../../../lib/events/event.js';
import { paymentChannels } from '../entities/TransactionRecord.js';

/** Amounts travel as decimal strings of minor units (payment's and accounting's events alike). */
const minorUnits = z.string().regex(/^\d+$/, 'must be minor units').transform((value) => BigInt(value));
const timestamp = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** refund.created, refund.succeeded, refund.failed (subgraphs/payment/services/payment-events.ts) */
const refundEvent = z.object({
  refundId: z.string().min(1),
  paymentId: z.string().min(1),
  merchantId: z.string().min(1),
  channel: z.enum(paymentChannels),
  currency: z.string().length(3),
  amount: minorUnits,
  createdAt: timestamp,
});

/** accounting.payment_booked (subgraphs/accounting/services/accounting-events.ts) */
const paymentBooked = z.object({
  paymentId: z.string().min(1),
  merchantId: z.string().min(1),
  channel: z.enum(paymentChannels),
  currency: z.string().length(3),
  amount: minorUnits,
  fee: minorUnits,
  net: minorUnits,
  capturedAt: timestamp,
  bookedAt: timestamp,
});

/** accounting.refund_booked */
const refundBooked = z.object({
  paymentId: z.string().min(1),
  refundId: z.string().min(1),
  currency: z.string().length(3),
  amount: minorUnits,
  fee: minorUnits,
  net: minorUnits,
  bookedAt: timestamp,
});

export type RefundEvent = z.infer<typeof refundEvent>;
export type PaymentBooked = z.infer<typeof paymentBooked>;
export type RefundBooked = z.infer<typeof refundBooked>;

function parse<T extends z.ZodType>(schema: T, event: EventEnvelope): z.infer<T> {
  const result = schema.safeParse(event.payload);
  if (!result.success) throw new Error(`event ${event.id} (${event.type}) has an unexpected payload: ${result.error.message}`);
  return result.data;
}

export const parseRefundEvent = (event: EventEnvelope) => parse(refundEvent, event);
export const parsePaymentBooked = (event: EventEnvelope) => parse(paymentBooked, event);
export const parseRefundBooked = (event: EventEnvelope) => parse(refundBooked, event);

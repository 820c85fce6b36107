import { z } from 'zod';
import type { EventEnvelope } from '../../../lib/events/event.js';

/** Amounts travel as decimal strings of minor units (payment's and accounting's events alike). */
const minorUnits = z.string().regex(/^\d+$/, 'must be minor units').transform((value) => BigInt(value));
const timestamp = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** payment.created and payment.status_changed: the payment as it is after the change. */
const paymentState = z.object({
  paymentId: z.string().min(1),
  merchantId: z.string().min(1),
  channel: z.string().min(1),
  currency: z.string().length(3),
  amount: minorUnits,
  amountReceived: minorUnits,
  status: z.string().min(1),
  createdAt: timestamp,
});

const refundSucceeded = z.object({
  refundId: z.string().min(1),
  paymentId: z.string().min(1),
  currency: z.string().length(3),
  amount: minorUnits,
});

/** accounting.payment_booked and accounting.refund_booked (docs: the accounting events' spec). */
const booking = z.object({
  paymentId: z.string().min(1),
  merchantId: z.string().min(1),
  channel: z.string().min(1),
  currency: z.string().length(3),
  fee: minorUnits,
});

export type PaymentState = z.infer<typeof paymentState>;
export type RefundSucceeded = z.infer<typeof refundSucceeded>;
export type Booking = z.infer<typeof booking>;

function parse<T extends z.ZodType>(schema: T, event: EventEnvelope): z.infer<T> {
  const result = schema.safeParse(event.payload);
  if (!result.success) throw new Error(`event ${event.id} (${event.type}) has an unexpected payload: ${result.error.message}`);
  return result.data;
}

export const parsePaymentState = (event: EventEnvelope) => parse(paymentState, event);
export const parseRefundSucceeded = (event: EventEnvelope) => parse(refundSucceeded, event);
export const parseBooking = (event: EventEnvelope) => parse(booking, event);

import { z } from 'zod';
import type { EventEnvelope } from '../../../lib/events/event.js';

/** Amounts travel as decimal strings of minor units (subgraphs/payment/services/payment-events.ts). */
const minorUnits = z.string().regex(/^\d+$/, 'must be minor units').transform((value) => BigInt(value));

const paymentStatusChanged = z.object({
  paymentId: z.string().min(1),
  merchantId: z.string().min(1),
  channel: z.string().min(1),
  currency: z.string().length(3),
  amountReceived: minorUnits,
  status: z.string(),
});

const refundSucceeded = z.object({
  refundId: z.string().min(1),
  paymentId: z.string().min(1),
  merchantId: z.string().min(1),
  currency: z.string().length(3),
  amount: minorUnits,
});

export type PaymentStatusChanged = z.infer<typeof paymentStatusChanged>;
export type RefundSucceeded = z.infer<typeof refundSucceeded>;

function parse<T extends z.ZodType>(schema: T, event: EventEnvelope): z.infer<T> {
  const result = schema.safeParse(event.payload);
  if (!result.success) throw new Error(`event ${event.id} (${event.type}) has an unexpected payload: ${result.error.message}`);
  return result.data;
}

export const parsePaymentStatusChanged = (event: EventEnvelope) => parse(paymentStatusChanged, event);
export const parseRefundSucceeded = (event: EventEnvelope) => parse(refundSucceeded, event);

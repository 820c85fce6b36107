import { z } from 'zod';
import type { EventEnvelope } from '../../../lib/events/event.js';

/** Amounts travel as decimal strings of minor units (subgraphs/payment/services/payment-events.ts). */
const minorUnits = z.string().regex(/^\d+$/, 'must be minor units').transform((value) => BigInt(value));
/** absent from events written before payloads carried it */
const providerReference = z.string().min(1).nullable().optional().transform((value) => value ?? null);

const paymentStatusChanged = z.object({
  paymentId: z.string().min(1),
  merchantId: z.string().min(1),
  channel: z.string().min(1),
  currency: z.string().length(3),
  amount: minorUnits,
  amountReceived: minorUnits,
  status: z.string(),
  providerReference,
});

const refundEvent = z.object({
  refundId: z.string().min(1),
  paymentId: z.string().min(1),
  merchantId: z.string().min(1),
  currency: z.string().length(3),
  amount: minorUnits,
  providerReference,
  createdAt: z.iso.datetime().transform((text) => new Date(text)),
});

export type PaymentStatusChanged = z.infer<typeof paymentStatusChanged>;
export type RefundEvent = z.infer<typeof refundEvent>;

function parse<T extends z.ZodType>(schema: T, event: EventEnvelope): z.infer<T> {
  const result = schema.safeParse(event.payload);
  if (!result.success) throw new Error(`event ${event.id} (${event.type}) has an unexpected payload: ${result.error.message}`);
  return result.data;
}

export const parsePaymentStatusChanged = (event: EventEnvelope) => parse(paymentStatusChanged, event);
/** refund.created, refund.succeeded and refund.failed carry the same payload */
export const parseRefundEvent = (event: EventEnvelope) => parse(refundEvent, event);

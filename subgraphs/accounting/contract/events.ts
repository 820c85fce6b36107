import { z } from 'zod';
import type { EventContract, ParsedPayload } from '../../../lib/events/event-contract.js';
import { currencyField, idField, minorUnitsField, timestampField } from '../../../lib/events/payload-fields.js';
import { paymentChannelField } from '../../payment/contract/events.js';

/**
 * Accounting's events (stream accounting-events, aggregate `payment` with a sequence per payment of
 * accounting's own), each written with the journal it describes.
 */

/** What every booking says, whether of a capture or of a refund. */
export const bookingPayload = z.object({
  paymentId: idField,
  merchantId: idField,
  // written from the figures, which keep it as text: checked when read
  channel: z.string().pipe(paymentChannelField),
  currency: currencyField,
  amount: minorUnitsField,
  fee: minorUnitsField,
  net: minorUnitsField,
  journalId: idField,
  bookedAt: timestampField,
});

/** A capture journal was posted. */
export const paymentBookedPayload = bookingPayload.extend({
  /** the capture's own time (the booking may come later): consumers place the payment in time by it */
  capturedAt: timestampField,
});

/** A refund journal was posted: fee 0 and net the amount (fees are not returned). */
export const refundBookedPayload = bookingPayload.extend({ refundId: idField });

export const accountingEvents = {
  'accounting.payment_booked': paymentBookedPayload,
  'accounting.refund_booked': refundBookedPayload,
} as const satisfies EventContract;

export type PaymentBookedPayload = ParsedPayload<typeof accountingEvents, 'accounting.payment_booked'>;
export type RefundBookedPayload = ParsedPayload<typeof accountingEvents, 'accounting.refund_booked'>;

import { money, toApiMoney } from '../../../lib/money.js';
import { paymentEvents, paymentStatePayload, refundPayload, type PaymentEventType } from './events.js';

/**
 * The event log as partners see it (the `events` query and webhooks): the public type of each payment
 * outbox event, and the `data` object that a webhook of the event carries and `Event.data` answers,
 * with amounts as the API's Money. The one definition of both.
 */
export const PARTNER_EVENT_TYPES = ['payment.created', 'payment.status_changed', 'refund.created', 'refund.status_changed'] as const;
export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];

const PUBLIC_TYPE: Record<PaymentEventType, PartnerEventType> = {
  'payment.created': 'payment.created',
  'payment.status_changed': 'payment.status_changed',
  'refund.created': 'refund.created',
  'refund.succeeded': 'refund.status_changed',
  'refund.failed': 'refund.status_changed',
};

/** The outbox event types a partner's filter on `type` matches (refund.status_changed is two of them). */
export function outboxTypesOf(type: PartnerEventType): PaymentEventType[] {
  return (Object.keys(PUBLIC_TYPE) as PaymentEventType[]).filter((outboxType) => PUBLIC_TYPE[outboxType] === type);
}

export function isPartnerEventType(type: string): type is PartnerEventType {
  return (PARTNER_EVENT_TYPES as readonly string[]).includes(type);
}

export function partnerEventType(outboxType: string): PartnerEventType | null {
  return Object.hasOwn(PUBLIC_TYPE, outboxType) ? PUBLIC_TYPE[outboxType as PaymentEventType] : null;
}

export interface PartnerEvent {
  type: PartnerEventType;
  merchantId: string;
  paymentId: string;
  refundId: string | null;
  data: Record<string, unknown>;
}

/** A payment outbox event as partners see it; null for a type or payload that is not theirs. */
export function partnerEvent(outboxType: string, payload: unknown): PartnerEvent | null {
  const type = partnerEventType(outboxType);
  if (!type || !(outboxType in paymentEvents)) return null;
  if (type.startsWith('payment.')) {
    const parsed = paymentStatePayload.safeParse(payload);
    if (!parsed.success) return null;
    const p = parsed.data;
    const amount = (minor: bigint) => toApiMoney(money(minor, p.currency));
    return {
      type,
      merchantId: p.merchantId,
      paymentId: p.paymentId,
      refundId: null,
      data: {
        object: 'payment',
        id: p.paymentId,
        merchantId: p.merchantId,
        channel: p.channel,
        captureMethod: p.captureMethod,
        status: p.status,
        previousStatus: p.previousStatus,
        amount: amount(p.amount),
        amountCapturable: amount(p.amountCapturable),
        amountReceived: amount(p.amountReceived),
        amountRefunded: amount(p.amountRefunded),
        failureCode: p.failureCode,
        createdAt: p.createdAt.toISOString(),
      },
    };
  }
  const parsed = refundPayload.safeParse(payload);
  if (!parsed.success) return null;
  const r = parsed.data;
  return {
    type,
    merchantId: r.merchantId,
    paymentId: r.paymentId,
    refundId: r.refundId,
    data: {
      object: 'refund',
      id: r.refundId,
      paymentId: r.paymentId,
      merchantId: r.merchantId,
      channel: r.channel,
      status: r.status,
      amount: toApiMoney(money(r.amount, r.currency)),
      failureCode: r.failureCode,
      createdAt: r.createdAt.toISOString(),
    },
  };
}

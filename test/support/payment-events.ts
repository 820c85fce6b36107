/** Events as the payment subgraph writes them, for the consuming subgraphs' unit tests; payloads typed by the payment contract. */
import type { EventEnvelope } from '../../lib/events/event.js';
import type { WrittenPayload } from '../../lib/events/event-contract.js';
import type { paymentEvents, RefundEventType } from '../../subgraphs/payment/contract/events.js';

type PaymentContract = typeof paymentEvents;
export type WrittenPaymentState = WrittenPayload<PaymentContract, 'payment.status_changed'>;
export type WrittenRefund = WrittenPayload<PaymentContract, RefundEventType>;
export type PaymentStatus = WrittenPaymentState['status'];

/** Events of one source with gapless per-aggregate sequences, as its outbox relay publishes them. */
export class EventSequence {
  private outboxId = 0;
  private readonly sequences = new Map<string, number>();

  constructor(readonly source: string) {}

  event(aggregateId: string, type: string, payload: Record<string, unknown>, at: Date): EventEnvelope {
    const sequence = (this.sequences.get(aggregateId) ?? 0) + 1;
    this.sequences.set(aggregateId, sequence);
    this.outboxId += 1;
    return { id: `${this.source}:${this.outboxId}`, source: this.source, position: this.outboxId, type, aggregateType: 'payment', aggregateId, sequence, occurredAt: at.toISOString(), payload };
  }
}

/** The payment a test's events are about; what is left out takes the defaults (CARD, USD, created at the epoch). */
export interface EventPayment {
  paymentId: string;
  merchantId: string;
  channel?: WrittenPaymentState['channel'];
  currency?: string;
  /** minor units */
  amount?: bigint;
  /** the provider's id of the payment, once it gave one */
  providerReference?: string;
  createdAt?: Date;
}

const REFUND_STATUS = { 'refund.created': 'PENDING', 'refund.succeeded': 'SUCCEEDED', 'refund.failed': 'FAILED' } as const;

/** The payment subgraph's events (subgraphs/payment/services/payment-events.ts), one payment's in one gapless sequence. */
export class PaymentEvents extends EventSequence {
  constructor() {
    super('payment');
  }

  /** payment.created, at the payment's createdAt unless given */
  created(payment: EventPayment, at: Date = payment.createdAt ?? new Date(0)): EventEnvelope {
    return this.event(payment.paymentId, 'payment.created', paymentState(payment, 'REQUIRES_CONFIRMATION', null, 0n), at);
  }

  statusChanged(payment: EventPayment, previousStatus: PaymentStatus, status: PaymentStatus, at: Date, received = 0n): EventEnvelope {
    return this.event(payment.paymentId, 'payment.status_changed', paymentState(payment, status, previousStatus, received), at);
  }

  /** status_changed to SUCCEEDED with `received` captured (the whole amount unless given) */
  captured(payment: EventPayment, at: Date, received = payment.amount ?? 0n): EventEnvelope {
    return this.statusChanged(payment, 'PROCESSING', 'SUCCEEDED', at, received);
  }

  /** a refund of `amount` created at `createdAt`, the event published at `at` (the same unless given) */
  refund(payment: EventPayment, type: RefundEventType, refundId: string, amount: bigint, createdAt: Date, at = createdAt): EventEnvelope {
    const payload: WrittenRefund = {
      refundId,
      paymentId: payment.paymentId,
      merchantId: payment.merchantId,
      channel: payment.channel ?? 'CARD',
      currency: payment.currency ?? 'USD',
      amount: amount.toString(),
      status: REFUND_STATUS[type],
      failureCode: type === 'refund.failed' ? 'PROVIDER_DECLINED' : null,
      providerReference: type === 'refund.succeeded' ? `re_${refundId}` : null,
      createdAt: createdAt.toISOString(),
    };
    return this.event(payment.paymentId, type, payload, at);
  }
}

function paymentState(payment: EventPayment, status: PaymentStatus, previousStatus: PaymentStatus | null, received: bigint): WrittenPaymentState {
  return {
    paymentId: payment.paymentId,
    merchantId: payment.merchantId,
    channel: payment.channel ?? 'CARD',
    captureMethod: 'AUTOMATIC',
    currency: payment.currency ?? 'USD',
    amount: (payment.amount ?? 0n).toString(),
    amountCapturable: '0',
    amountReceived: received.toString(),
    amountRefunded: '0',
    status,
    previousStatus,
    failureCode: null,
    providerReference: payment.providerReference ?? null,
    createdAt: (payment.createdAt ?? new Date(0)).toISOString(),
  };
}

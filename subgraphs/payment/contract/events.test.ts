import { describe, expect, it } from 'vitest';
import type { Em } from '../../../lib/database.js';
import { EventPayloadError, parseEventPayload } from '../../../lib/events/event-contract.js';
import type { EventEnvelope } from '../../../lib/events/event.js';
import { recordEvent } from '../../../lib/events/outbox.js';
import type { Payment } from '../entities/Payment.js';
import type { Refund } from '../entities/Refund.js';
import { changeStatus, recordPaymentCreated, recordRefundEvent } from '../services/payment-events.js';
import { paymentEvents, paymentStatePayload, refundPayload, type PaymentEventType } from './events.js';

const t0 = new Date('2026-11-22T10:00:00.000Z');
const t1 = new Date('2026-11-22T10:00:05.000Z');

/** An entity manager that keeps what recordEvent creates, as the outbox table would. */
function memoryOutbox() {
  const rows: { type: string; sequence: number; payload: Record<string, unknown> }[] = [];
  const em = { create: (_entity: unknown, row: (typeof rows)[number]) => rows.push(row) } as unknown as Em;
  return { em, rows };
}

/** What a consumer receives: the row's payload after a trip through JSON (the outbox column, Redis). */
function delivered(row: { type: string; sequence: number; payload: Record<string, unknown> }): EventEnvelope {
  return {
    id: `payment:${row.sequence}`,
    source: 'payment',
    position: row.sequence,
    type: row.type,
    aggregateType: 'payment',
    aggregateId: 'pay_1',
    sequence: row.sequence,
    occurredAt: t0.toISOString(),
    payload: JSON.parse(JSON.stringify(row.payload)) as Record<string, unknown>,
  };
}

function without(payload: Record<string, unknown>, field: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([key]) => key !== field));
}

function payment(): Payment {
  return {
    id: 'pay_1',
    merchantId: 'mer_1',
    currency: 'USD',
    amount: 10_000n,
    amountCapturable: 0n,
    amountReceived: 0n,
    amountRefunded: 0n,
    channel: 'CARD',
    captureMethod: 'AUTOMATIC',
    status: 'REQUIRES_CONFIRMATION',
    nextAction: null,
    failureCode: null,
    failureMessage: null,
    description: null,
    metadata: null,
    card: null,
    cancellationReason: null,
    providerReference: null,
    expiresAt: null,
    pendingOperation: null,
    pendingAmount: null,
    providerCheckedAt: null,
    createdAt: t0,
    updatedAt: t0,
    eventSequence: 0,
    version: 1,
  };
}

function refund(): Refund {
  return {
    id: 're_1',
    paymentId: 'pay_1',
    merchantId: 'mer_1',
    currency: 'USD',
    amount: 2_500n,
    status: 'SUCCEEDED',
    reason: null,
    failureCode: null,
    providerReference: 're_card_1',
    providerCheckedAt: null,
    createdAt: t1,
    updatedAt: t1,
  };
}

describe("the payment subgraph's event contract", () => {
  it('reads back what the payment subgraph writes: amounts as bigint, times as Date', () => {
    const { em, rows } = memoryOutbox();
    const pay = payment();
    recordPaymentCreated(em, pay);
    pay.amountReceived = 10_000n;
    pay.providerReference = 'auth_1';
    changeStatus(em, pay, 'PROCESSING', t1);
    recordRefundEvent(em, pay, refund(), 'refund.succeeded', t1);

    const parsed = rows.map((row) => parseEventPayload(paymentEvents[row.type as PaymentEventType], delivered(row)));
    expect(rows.map((row) => [row.type, row.sequence])).toEqual([
      ['payment.created', 1],
      ['payment.status_changed', 2],
      ['refund.succeeded', 3],
    ]);
    expect(parsed[0]).toEqual({
      paymentId: 'pay_1',
      merchantId: 'mer_1',
      channel: 'CARD',
      captureMethod: 'AUTOMATIC',
      currency: 'USD',
      amount: 10_000n,
      amountCapturable: 0n,
      amountReceived: 0n,
      amountRefunded: 0n,
      status: 'REQUIRES_CONFIRMATION',
      previousStatus: null,
      failureCode: null,
      providerReference: null,
      createdAt: t0,
    });
    expect(parsed[1]).toMatchObject({ status: 'PROCESSING', previousStatus: 'REQUIRES_CONFIRMATION', amountReceived: 10_000n, providerReference: 'auth_1' });
    expect(parsed[2]).toEqual({
      refundId: 're_1',
      paymentId: 'pay_1',
      merchantId: 'mer_1',
      channel: 'CARD',
      currency: 'USD',
      amount: 2_500n,
      status: 'SUCCEEDED',
      failureCode: null,
      providerReference: 're_card_1',
      createdAt: t1,
    });
  });

  it('keeps the wire shape: amounts as decimal strings of minor units, times as ISO strings', () => {
    const { em, rows } = memoryOutbox();
    recordPaymentCreated(em, payment());
    expect(rows[0]!.payload).toMatchObject({ amount: '10000', amountReceived: '0', createdAt: t0.toISOString() });
  });

  it('reads events written before payloads carried providerReference', () => {
    const { em, rows } = memoryOutbox();
    recordRefundEvent(em, payment(), refund(), 'refund.created', t1);
    const older = without(rows[0]!.payload, 'providerReference');
    expect(parseEventPayload(refundPayload, delivered({ ...rows[0]!, payload: older })).providerReference).toBeNull();
  });

  it('refuses a payload missing a field, naming the event', () => {
    const { em, rows } = memoryOutbox();
    recordPaymentCreated(em, payment());
    const incomplete = without(rows[0]!.payload, 'amountReceived');
    const read = () => parseEventPayload(paymentStatePayload, delivered({ ...rows[0]!, payload: incomplete }));
    expect(read).toThrow(EventPayloadError);
    expect(read).toThrow(/event payment:1 \(payment\.created\) has an unexpected payload.*amountReceived/s);
  });

  it('lets a reader check only the fields it picks', () => {
    const { em, rows } = memoryOutbox();
    recordRefundEvent(em, payment(), refund(), 'refund.failed', t1);
    const rest = without(rows[0]!.payload, 'status');
    const picked = refundPayload.pick({ refundId: true, amount: true });
    expect(parseEventPayload(picked, delivered({ ...rows[0]!, payload: rest }))).toEqual({ refundId: 're_1', amount: 2_500n });
  });

  it('refuses to write an event type the contract does not have', () => {
    const { em } = memoryOutbox();
    const message = { aggregateType: 'payment', aggregateId: 'pay_1', sequence: 1, occurredAt: t0 };
    // @ts-expect-error: not an event of the payment contract
    expect(() => recordEvent(em, paymentEvents, { ...message, type: 'payment.deleted', payload: {} })).toThrow(/not an event of this contract/);
    // a refund's payload under a payment's type does not compile
    const refundWire = { refundId: 're_1', paymentId: 'pay_1', merchantId: 'mer_1', channel: 'CARD', currency: 'USD', amount: '1', status: 'PENDING', failureCode: null, createdAt: t0.toISOString() } as const;
    // @ts-expect-error: payment.created takes the payment's state
    recordEvent(em, paymentEvents, { ...message, type: 'payment.created', payload: refundWire });
    recordEvent(em, paymentEvents, { ...message, type: 'refund.created', payload: refundWire });
  });
});

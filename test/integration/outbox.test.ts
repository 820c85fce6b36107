import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEvent } from '../../lib/events/outbox.js';
import { startSystem, type System } from '../support/system.js';
import { capture, confirm, createPayment, refund } from '../support/payments.js';
import { expectNoErrors } from '../support/graphql.js';

let system: System;
let key: string;

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
});
afterAll(async () => system?.stop());

async function eventsOf(paymentId: string) {
  const events = await system.payment.database.fork().find(OutboxEvent, { aggregateId: paymentId }, { orderBy: { id: 'asc' } });
  return events.map((event): Record<string, unknown> => ({ type: event.type, ...event.payload }));
}

describe('the outbox records every state change in its transaction', () => {
  it('automatic capture and a refund: created, processing, succeeded, refund created and succeeded, in order', async () => {
    const payment = await createPayment(system, key, { amount: '50.00' });
    await confirm(system, key, payment.id);
    const refunded = await refund(system, key, payment.id, { amount: '20.00', currency: 'USD' });
    const refundId = expectNoErrors(refunded).refundPayment.id;
    const events = await eventsOf(payment.id);
    expect(events.map((e) => [e.type, e['status']])).toEqual([
      ['payment.created', 'REQUIRES_CONFIRMATION'],
      ['payment.status_changed', 'PROCESSING'],
      ['payment.status_changed', 'SUCCEEDED'],
      ['refund.created', 'PENDING'],
      ['refund.succeeded', 'SUCCEEDED'],
    ]);
    expect(events[2]).toMatchObject({ previousStatus: 'PROCESSING', amountReceived: '5000', currency: 'USD', channel: 'CARD' });
    expect(events[4]).toMatchObject({ refundId, amount: '2000', paymentId: payment.id, channel: 'CARD' });
  });

  it('a partial capture records what was received', async () => {
    const payment = await createPayment(system, key, { amount: '50.00', captureMethod: 'MANUAL' });
    await confirm(system, key, payment.id);
    await capture(system, key, payment.id, { amount: '20.00', currency: 'USD' });
    const events = await eventsOf(payment.id);
    expect(events.map((e) => e['status'])).toEqual(['REQUIRES_CONFIRMATION', 'PROCESSING', 'REQUIRES_CAPTURE', 'PROCESSING', 'SUCCEEDED']);
    expect(events.at(-1)).toMatchObject({ amount: '5000', amountReceived: '2000', amountCapturable: '0' });
  });

  it('a refused operation writes no event', async () => {
    const payment = await createPayment(system, key, { amount: '5.00' });
    await confirm(system, key, payment.id);
    const before = (await eventsOf(payment.id)).length;
    const result = await refund(system, key, payment.id, { amount: '5.01', currency: 'USD' });
    expect(result.errors?.[0]?.extensions?.code).toBe('AMOUNT_TOO_LARGE');
    expect((await eventsOf(payment.id)).length).toBe(before);
  });
});

import { describe, expect, it } from 'vitest';
import { outboxTypesOf, partnerEvent, PARTNER_EVENT_TYPES } from './partner-events.js';

const payment = {
  paymentId: 'pay_1',
  merchantId: 'mer_1',
  channel: 'CARD',
  captureMethod: 'AUTOMATIC',
  currency: 'JPY',
  amount: '1000',
  amountCapturable: '0',
  amountReceived: '1000',
  amountRefunded: '0',
  status: 'SUCCEEDED',
  previousStatus: 'PROCESSING',
  failureCode: null,
  createdAt: '2026-12-02T10:00:00.000Z',
};

describe('partner events', () => {
  it('shows a payment event with Money amounts in the currency exponent', () => {
    const event = partnerEvent('payment.status_changed', payment);
    expect(event?.type).toBe('payment.status_changed');
    expect(event?.data).toMatchObject({ object: 'payment', id: 'pay_1', amount: { amount: '1000', currency: 'JPY', minorUnits: '1000' }, createdAt: payment.createdAt });
  });

  it('shows refund.succeeded and refund.failed as refund.status_changed', () => {
    const refund = { refundId: 're_1', paymentId: 'pay_1', merchantId: 'mer_1', channel: 'CARD', currency: 'USD', amount: '250', status: 'SUCCEEDED', failureCode: null, createdAt: payment.createdAt };
    expect(partnerEvent('refund.succeeded', refund)?.type).toBe('refund.status_changed');
    expect(partnerEvent('refund.failed', { ...refund, status: 'FAILED' })?.data).toMatchObject({ object: 'refund', amount: { amount: '2.50' } });
    expect(outboxTypesOf('refund.status_changed').sort()).toEqual(['refund.failed', 'refund.succeeded']);
  });

  it('maps every outbox type to a public one, and nothing else', () => {
    expect(PARTNER_EVENT_TYPES.flatMap(outboxTypesOf)).toHaveLength(5);
    expect(partnerEvent('accounting.payment_booked', payment)).toBeNull();
    expect(partnerEvent('payment.created', { ...payment, amount: 'ten' })).toBeNull();
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../lib/clock.js';
import { newId } from '../../../../lib/ids.js';
import { startAlipaySimulator, type AlipaySimulator } from '../../../../simulators/alipay/server.js';
import { testKeyPair } from '../../../../test/support/keys.js';
import { alipayEffects } from '../../../../test/support/simulator-effects.js';
import type { Payment } from '../../entities/Payment.js';
import type { Refund } from '../../entities/Refund.js';
import { ChannelError } from '../channel.js';
import { AlipayChannel } from './channel.js';
import { AlipayClient } from './client.js';

const merchant = testKeyPair(1);
const alipay = testKeyPair(2);
const appId = '2021000000000042';
let simulator: AlipaySimulator;
let channel: AlipayChannel;

beforeAll(async () => {
  simulator = await startAlipaySimulator({ appId, appPublicKey: merchant.publicKey, privateKey: alipay.privateKey, notifyRetryDivisor: 100_000_000 });
  const client = new AlipayClient({ gatewayUrl: simulator.gatewayUrl, appId, privateKey: merchant.privateKey, alipayPublicKey: alipay.publicKey });
  channel = new AlipayChannel({ client, clock: systemClock, callbackUrl: () => 'http://127.0.0.1:9/unused', notifyMaxAgeMs: 60_000 });
});
afterAll(async () => simulator.close());
afterEach(async () => faults({ uncertainRefunds: false, lostRefundRequests: false }));

async function faults(body: { uncertainRefunds?: boolean; lostRefundRequests?: boolean }): Promise<void> {
  const response = await fetch(`${simulator.url}/sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

function alipayPayment(amount: bigint): Payment {
  const now = new Date();
  return {
    id: newId('pay'), merchantId: 'mer_test', currency: 'CNY', amount, amountCapturable: 0n, amountReceived: 0n, amountRefunded: 0n,
    channel: 'ALIPAY', captureMethod: 'AUTOMATIC', status: 'REQUIRES_ACTION', nextAction: null, failureCode: null, failureMessage: null,
    description: 'Tea', metadata: null, card: null, cancellationReason: null, providerReference: null, expiresAt: null, providerCheckedAt: null,
    createdAt: now, updatedAt: now, eventSequence: 0, version: 1,
  };
}

function alipayRefund(payment: Payment, amount: bigint): Refund {
  const now = new Date();
  return {
    id: newId('re'), paymentId: payment.id, merchantId: payment.merchantId, currency: payment.currency, amount, status: 'PENDING', reason: null,
    failureCode: null, providerReference: null, providerCheckedAt: null, createdAt: now, updatedAt: now,
  };
}

async function placed(amount: bigint, outcome?: 'APPROVE' | 'DECLINE'): Promise<Payment> {
  const payment = alipayPayment(amount);
  expect((await channel.confirm(payment)).kind).toBe('requires_action');
  if (outcome === undefined) return payment;
  await channel.sandboxPayerAction(payment, outcome);
  const result = await channel.query(payment);
  return { ...payment, providerReference: 'providerReference' in result ? result.providerReference : null };
}

function rejection(promise: Promise<unknown>): Promise<ChannelError> {
  return promise.then(
    () => Promise.reject(new Error('expected a ChannelError')),
    (error: unknown) => (error instanceof ChannelError ? error : Promise.reject(error instanceof Error ? error : new Error(String(error)))),
  );
}

describe('Alipay connector: cancel, asked again', () => {
  it('is done for a trade closed already (Alipay refuses to close it again) and for a QR code nobody scanned', async () => {
    const declined = await placed(500n, 'DECLINE');
    expect(await channel.query(declined)).toMatchObject({ kind: 'closed' });
    await channel.cancel(declined);
    await channel.cancel(declined);
    await channel.cancel(await placed(500n));
    expect((await alipayEffects(simulator.url, declined.id)).trades).toMatchObject([{ status: 'TRADE_CLOSED', paidAt: null }]);
  });

  it('refuses to close a paid trade', async () => {
    const paid = await placed(500n, 'APPROVE');
    expect((await rejection(channel.cancel(paid))).code).toBe('PROVIDER_INVALID_STATE');
    expect((await alipayEffects(simulator.url, paid.id)).closes).toEqual([]);
  });
});

describe('Alipay connector: refunds, asked again', () => {
  it('answers a refund sent again what the first one did (fund_change N, confirmed by the refund query), refunded once', async () => {
    const payment = await placed(2000n, 'APPROVE');
    const refund = alipayRefund(payment, 500n);
    const first = await channel.refund(payment, refund);
    expect(first).toEqual({ status: 'SUCCEEDED', providerReference: payment.providerReference, failureCode: null });
    expect(await channel.refund(payment, refund)).toEqual(first);
    expect(await channel.queryRefund(payment, refund)).toEqual(first);
    const effects = await alipayEffects(simulator.url, payment.id);
    expect(effects.refunds.map(({ outRequestNo, refundAmount }) => ({ outRequestNo, refundAmount }))).toEqual([{ outRequestNo: refund.id, refundAmount: 500n }]);
    expect(effects.trades).toMatchObject([{ totalAmount: 2000n, status: 'TRADE_SUCCESS', paidAt: expect.any(Date) }]);
  });

  it('settles a refund made but answered "unknown" when it is sent again', async () => {
    const payment = await placed(1000n, 'APPROVE');
    const refund = alipayRefund(payment, 1000n);
    await faults({ uncertainRefunds: true });
    expect((await channel.refund(payment, refund)).status).toBe('PENDING');
    await faults({ uncertainRefunds: false });
    expect(await channel.refund(payment, refund)).toMatchObject({ status: 'SUCCEEDED' });
    expect((await alipayEffects(simulator.url, payment.id)).refunds).toHaveLength(1);
  });

  it('sends a refund Alipay never received again on its query, and only once', async () => {
    const payment = await placed(1000n, 'APPROVE');
    const refund = alipayRefund(payment, 300n);
    await faults({ lostRefundRequests: true });
    expect((await channel.refund(payment, refund)).status).toBe('PENDING');
    expect((await alipayEffects(simulator.url, payment.id)).refunds).toEqual([]);
    await faults({ lostRefundRequests: false });
    expect(await channel.queryRefund(payment, refund)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await channel.queryRefund(payment, refund)).toMatchObject({ status: 'SUCCEEDED' });
    expect((await alipayEffects(simulator.url, payment.id)).refunds.map(({ refundAmount }) => refundAmount)).toEqual([300n]);
  });
});

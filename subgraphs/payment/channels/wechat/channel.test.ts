import { money } from '../../../../lib/money.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Payment } from '../../entities/Payment.js';
import { ChannelError } from '../channel.js';
import { startWechatPayKit, wechatPayment, wechatRefund, type WechatPayKit } from '../../../../test/support/wechat-channel-kit.js';
import { eventually } from '../../../../test/support/eventually.js';
import { wechatEffects } from '../../../../test/support/simulator-effects.js';
import { testKeyPair } from '../../../../test/support/keys.js';

let kit: WechatPayKit;

beforeAll(async () => {
  kit = await startWechatPayKit();
});
afterAll(async () => {
  await kit.close();
});

/** Confirms, and returns the payment as the service would store it: REQUIRES_ACTION with the QR code. */
async function placed(amount: bigint, overrides: Partial<Payment> = {}, on: WechatPayKit = kit): Promise<Payment> {
  const payment = wechatPayment(amount, overrides);
  const outcome = await on.channel.confirm(payment, null);
  if (outcome.kind !== 'requires_action') throw new Error(`expected a QR code, got ${JSON.stringify(outcome)}`);
  return { ...payment, status: 'REQUIRES_ACTION', nextAction: outcome.nextAction };
}

async function paid(amount: bigint, on: WechatPayKit = kit): Promise<Payment> {
  const payment = await placed(amount, {}, on);
  await on.channel.sandboxPayerAction(payment, 'APPROVE');
  const result = await on.channel.query(payment);
  if (result.kind !== 'captured') throw new Error(`expected a paid order, got ${result.kind}`);
  return { ...payment, status: 'SUCCEEDED', providerReference: result.providerReference, amountReceived: amount };
}

function rejection(promise: Promise<unknown>): Promise<ChannelError> {
  return promise.then(
    () => Promise.reject(new Error('expected a ChannelError')),
    (error: unknown) => (error instanceof ChannelError ? error : Promise.reject(error instanceof Error ? error : new Error(String(error)))),
  );
}

describe('WeChat Pay connector: Native orders', () => {
  it('confirms with a QR code holding the code_url, and no provider reference until the payer pays', async () => {
    const payment = wechatPayment(1234n);
    const outcome = await kit.channel.confirm(payment, null);
    expect(outcome).toEqual({ kind: 'requires_action', providerReference: null, nextAction: { type: 'QR_CODE', url: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=\w{9}$/) } });
    expect(await kit.channel.query(payment)).toEqual({ kind: 'pending', providerReference: null });
    // placing the same order again (a retried confirmation) shows the same code
    expect(await kit.channel.confirm(payment, null)).toEqual(outcome);
  });

  it('delivers the payer approval as a signed, encrypted notification the channel reads into a captured outcome', async () => {
    const payment = await placed(2500n);
    const before = kit.endpoint.deliveries.length;
    await kit.channel.sandboxPayerAction(payment, 'APPROVE');
    const delivery = kit.endpoint.deliveries[before];
    expect(delivery?.status).toBe(204);
    expect(delivery?.callback).toEqual({ kind: 'payment', paymentId: payment.id, outcome: { kind: 'captured', providerReference: expect.stringMatching(/^4200\d{24}$/) } });
    const query = await kit.channel.query(payment);
    expect(query).toEqual(delivery?.callback?.outcome);
  });

  it('leaves a declined payment unnotified, as WeChat Pay does, and the query reports PAYER_DECLINED', async () => {
    const payment = await placed(700n);
    const before = kit.endpoint.deliveries.length;
    await kit.channel.sandboxPayerAction(payment, 'DECLINE');
    expect(await kit.channel.query(payment)).toMatchObject({ kind: 'declined', providerReference: null, failureCode: 'PAYER_DECLINED' });
    expect(kit.endpoint.deliveries).toHaveLength(before);
  });

  it('retries a notification the payment service fails to take, on the compressed schedule, until it is answered 204', async () => {
    const payment = await placed(900n);
    const before = kit.endpoint.deliveries.length;
    kit.endpoint.failNext(2);
    await kit.channel.sandboxPayerAction(payment, 'APPROVE');
    const deliveries = await eventually(() => kit.endpoint.deliveries.slice(before), (found) => found.length >= 3, { what: 'three attempts' });
    expect(deliveries.map((d) => d.status)).toEqual([500, 500, 204]);
    expect(new Set(deliveries.map((d) => JSON.stringify(d.callback))).size).toBe(1);
  });

  it('declines an order WeChat Pay refuses (not CNY) with PROVIDER_DECLINED', async () => {
    const outcome = await kit.channel.confirm(wechatPayment(1000n, { currency: 'USD' }), null);
    expect(outcome).toMatchObject({ kind: 'declined', providerReference: null, failureCode: 'PROVIDER_DECLINED', failureMessage: expect.stringContaining('PARAM_ERROR') });
  });

  it('declines a payment asking for manual capture without placing an order: Native payments are captured when paid', async () => {
    const payment = wechatPayment(1000n, { captureMethod: 'MANUAL' });
    expect(await kit.channel.confirm(payment, null)).toMatchObject({ kind: 'declined', failureCode: 'PROVIDER_DECLINED', failureMessage: expect.stringContaining('MANUAL') });
    expect(await kit.channel.query(payment)).toEqual({ kind: 'not_found' });
  });

  it("sends the payment's expiry as time_expire: WeChat Pay lets nobody pay the order after it", async () => {
    const payment = await placed(650n, { expiresAt: new Date(Date.now() - 1_000) });
    expect(await rejection(kit.channel.sandboxPayerAction(payment, 'APPROVE'))).toMatchObject({ code: 'PROVIDER_INVALID_STATE' });
    expect(await kit.channel.query(payment)).toEqual({ kind: 'pending', providerReference: null });
    const later = await placed(650n, { expiresAt: new Date(Date.now() + 60_000) });
    await kit.channel.sandboxPayerAction(later, 'APPROVE');
    expect(await kit.channel.query(later)).toMatchObject({ kind: 'captured' });
  });

  it('closes an unpaid order: closed to queries, unpayable, and a new confirmation is PAYMENT_EXPIRED', async () => {
    const payment = await placed(300n);
    await kit.channel.cancel(payment);
    await kit.channel.cancel(payment);
    expect(await kit.channel.query(payment)).toEqual({ kind: 'closed', providerReference: null });
    expect(await rejection(kit.channel.sandboxPayerAction(payment, 'APPROVE'))).toMatchObject({ code: 'PROVIDER_INVALID_STATE' });
    expect(await kit.channel.confirm(payment, null)).toMatchObject({ kind: 'declined', failureCode: 'PAYMENT_EXPIRED' });
  });

  it('refuses to close a paid order, closes an order never placed, and has nothing to capture', async () => {
    const payment = await paid(400n);
    expect(await rejection(kit.channel.cancel(payment))).toMatchObject({ code: 'PROVIDER_INVALID_STATE' });
    await kit.channel.cancel(wechatPayment(100n));
    expect(await kit.channel.query(wechatPayment(100n))).toEqual({ kind: 'not_found' });
    expect(await rejection(kit.channel.capture(payment, money(400n, 'CNY')))).toMatchObject({ code: 'PROVIDER_INVALID_STATE' });
  });

  it('reports a paid order again confirmed as captured (ORDERPAID)', async () => {
    const payment = await paid(800n);
    expect(await kit.channel.confirm(payment, null)).toEqual({ kind: 'captured', providerReference: payment.providerReference });
  });
});

describe('WeChat Pay connector: refunds', () => {
  it('refunds partially, several times: PENDING at once, then REFUND.SUCCESS notifications and queries say SUCCEEDED', async () => {
    const payment = await paid(10_000n);
    const refunds = [wechatRefund(payment, 2_500n), wechatRefund(payment, 1_500n)];
    for (const refund of refunds) {
      expect(await kit.channel.refund(payment, refund)).toEqual({ status: 'PENDING', providerReference: expect.stringMatching(/^5030\d{25}$/), failureCode: null });
    }
    for (const refund of refunds) {
      const notified = await eventually(
        () => kit.endpoint.deliveries.find((d) => d.callback?.kind === 'refund' && d.callback.refundId === refund.id),
        (found) => found !== undefined,
        { what: `the notification of ${refund.id}` },
      );
      expect(notified).toMatchObject({ status: 204, callback: { kind: 'refund', paymentId: payment.id, outcome: { status: 'SUCCEEDED', failureCode: null } } });
      expect(await kit.channel.queryRefund(payment, refund)).toMatchObject({ status: 'SUCCEEDED' });
    }
  });

  it('refunds once per out_refund_no: the same refund asked again is the same provider refund', async () => {
    const payment = await paid(5_000n);
    const refund = wechatRefund(payment, 1_000n);
    const first = await kit.channel.refund(payment, refund);
    const again = await kit.channel.refund(payment, refund);
    expect(again.providerReference).toBe(first.providerReference);
    const rest = await kit.channel.refund(payment, wechatRefund(payment, 4_000n));
    expect(rest.status).toBe('PENDING');
  });

  it('rejects a refund over what remains, and the 51st refund of a payment, with REFUND_REJECTED', async () => {
    const payment = await paid(100n);
    expect(await kit.channel.refund(payment, wechatRefund(payment, 101n))).toEqual({ status: 'FAILED', providerReference: null, failureCode: 'REFUND_REJECTED' });
    for (let i = 0; i < 50; i++) expect((await kit.channel.refund(payment, wechatRefund(payment, 1n))).status).toBe('PENDING');
    expect(await kit.channel.refund(payment, wechatRefund(payment, 1n))).toEqual({ status: 'FAILED', providerReference: null, failureCode: 'REFUND_REJECTED' });
  });

  it('recovers a refund whose notification is lost by querying it', async () => {
    // a simulator of its own: no earlier test's refund, settling late, can be the notification lost
    const quiet = await startWechatPayKit();
    try {
      const payment = await paid(3_000n, quiet);
      await quiet.sandbox('/notifications/lose', { count: 1 });
      const refund = wechatRefund(payment, 3_000n);
      expect((await quiet.channel.refund(payment, refund)).status).toBe('PENDING');
      const outcome = await eventually(() => quiet.channel.queryRefund(payment, refund), (answer) => answer.status === 'SUCCEEDED', { what: 'the refund to succeed' });
      expect(outcome.providerReference).toMatch(/^5030/);
      // WeChat Pay made the notification and lost it: never attempted, so never delivered
      const made = (await (await fetch(`${quiet.simulator.url}/sandbox/notifications?out_trade_no=${payment.id}`)).json()) as { outRefundNo: string | null; lost: boolean; attempts: number }[];
      expect(made.filter((n) => n.outRefundNo === refund.id)).toMatchObject([{ lost: true, attempts: 0 }]);
      expect(quiet.endpoint.deliveries.some((d) => d.callback?.kind === 'refund' && d.callback.refundId === refund.id)).toBe(false);
    } finally {
      await quiet.close();
    }
  });

  it('sends a refund WeChat Pay never received again when its query finds nothing, under the same out_refund_no', async () => {
    const payment = await paid(200n);
    const refund = wechatRefund(payment, 100n);
    const resent = await kit.channel.queryRefund(payment, refund);
    expect(resent).toEqual({ status: 'PENDING', providerReference: expect.stringMatching(/^5030\d{25}$/), failureCode: null });
    // now known to WeChat Pay: the query answers it, and asking again refunds nothing more
    expect((await kit.channel.queryRefund(payment, refund)).providerReference).toBe(resent.providerReference);
    expect(await kit.channel.refund(payment, wechatRefund(payment, 101n))).toMatchObject({ status: 'FAILED', failureCode: 'REFUND_REJECTED' });
  });
});

describe('WeChat Pay connector: repeated calls, counted at WeChat Pay', () => {
  it('closes once though asked to close again, and refunds once though sent, queried and sent again', async () => {
    const unpaid = await placed(600n);
    for (let i = 0; i < 3; i++) await kit.channel.cancel(unpaid);
    expect((await wechatEffects(kit.simulator.url, unpaid.id)).closes).toHaveLength(1);

    const payment = await paid(900n);
    const refund = wechatRefund(payment, 400n);
    const first = await kit.channel.refund(payment, refund);
    expect((await kit.channel.queryRefund(payment, refund)).providerReference).toBe(first.providerReference);
    expect((await kit.channel.refund(payment, refund)).providerReference).toBe(first.providerReference);
    const effects = await wechatEffects(kit.simulator.url, payment.id);
    expect(effects.refunds.map(({ outRefundNo, amount }) => ({ outRefundNo, amount }))).toEqual([{ outRefundNo: refund.id, amount: 400n }]);
    expect(effects.orders).toMatchObject([{ outTradeNo: payment.id, total: 900n, transactionId: payment.providerReference }]);
    expect(effects.closes).toEqual([]);
  });
});

describe('WeChat Pay connector: request and answer signatures', () => {
  it('is refused (401 SIGN_ERROR) when its requests are signed with a key WeChat Pay does not know', async () => {
    const stranger = testKeyPair(3).privateKey;
    const error = await rejection(kit.channelWith({ merchantPrivateKey: stranger }).confirm(wechatPayment(100n), null));
    expect(error.code).toBe('PROVIDER_REJECTED');
    expect(error.message).toContain('401 SIGN_ERROR');
  });

  it('trusts no answer its platform key does not verify: the order is uncertain, not declined', async () => {
    const impostor = testKeyPair(4).publicKey;
    const error = await rejection(kit.channelWith({ platformPublicKey: impostor }).confirm(wechatPayment(100n), null));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.message).toContain('signature mismatch');
  });

  it('answers WeChat Pay as API v3 asks: 204 without a body, or 4xx with {code, message}', () => {
    expect(kit.channel.callbackAnswer(true)).toEqual({ status: 204, contentType: 'application/json', body: '' });
    const refused = kit.channel.callbackAnswer(false);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({ code: 'FAIL', message: expect.any(String) });
  });
});

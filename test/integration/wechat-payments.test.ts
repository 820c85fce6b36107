import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEvent } from '../../lib/outbox.js';
import { notificationBody } from '../../simulators/wechat/notifier.js';
import { platformSignatureHeaders } from '../../simulators/wechat/reply.js';
import { eventually, ledgerOf, settled } from '../support/accounting.js';
import { payerAction, PAYMENT_FIELDS, uniqueKey } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';

let system: System;
let key: string;

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant('WeChat merchant')).apiKey;
});
afterAll(async () => system?.stop());

async function createWechatPayment(amount: string, currency = 'CNY'): Promise<any> {
  const result = await system.query(key, `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
    input: { amount: { amount, currency }, channel: 'WECHAT_PAY', idempotencyKey: uniqueKey('wechat-create') },
  });
  if (!result.data) throw new Error(`createPayment failed: ${JSON.stringify(result.errors)}`);
  return result.data.createPayment;
}

async function confirmWechat(paymentId: string): Promise<any> {
  const result = await system.query(key, `mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
    input: { paymentId, idempotencyKey: uniqueKey('wechat-confirm') },
  });
  if (!result.data) throw new Error(`confirmPayment failed: ${JSON.stringify(result.errors)}`);
  return result.data.confirmPayment;
}

async function statusOf(paymentId: string): Promise<string> {
  const result = await system.query(key, 'query($id: ID!) { payment(id: $id) { status } }', { id: paymentId });
  return result.data.payment.status;
}

async function eventsOf(paymentId: string): Promise<string[]> {
  const events = await system.payment.database.fork().find(OutboxEvent, { aggregateId: paymentId }, { orderBy: { id: 'asc' } });
  return events.map((event) => `${event.type}:${String(event.payload['status'])}`);
}

/** WeChat Pay's TRANSACTION.SUCCESS notification of a payment, signed and sealed with the given keys. */
function paidNotification(paymentId: string, change: { signingKey?: string; apiV3Key?: string; timestamp?: number } = {}) {
  const keys = system.wechatPayKeys;
  const body = notificationBody(change.apiV3Key ?? keys.apiV3Key, {
    eventType: 'TRANSACTION.SUCCESS',
    originalType: 'transaction',
    summary: '支付成功',
    resource: {
      appid: keys.appid, mchid: keys.mchid, out_trade_no: paymentId, transaction_id: '4200000000202401010000000001', trade_type: 'NATIVE',
      trade_state: 'SUCCESS', trade_state_desc: '支付成功', success_time: '2024-01-01T10:00:00+08:00', amount: { total: 1000, currency: 'CNY' },
    },
  });
  const platform = { serial: keys.platform.serial, privateKey: change.signingKey ?? keys.platform.privateKey };
  return { body, headers: platformSignatureHeaders(platform, body, change.timestamp) };
}

function deliver(notification: { body: string; headers: Record<string, string> }) {
  return fetch(`${system.gatewayUrl}/callbacks/wechat_pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...notification.headers },
    body: notification.body,
  });
}

/** A confirmed payment whose payer pays while WeChat Pay's notification is lost: it waits in REQUIRES_ACTION. */
async function awaitingNotification(amount = '10.00'): Promise<string> {
  const payment = await createWechatPayment(amount);
  await confirmWechat(payment.id);
  await fetch(`${system.wechatPaySimulatorUrl}/sandbox/notifications/lose`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"count":1}' });
  await payerAction(system, key, payment.id, 'APPROVE');
  expect(await statusOf(payment.id)).toBe('REQUIRES_ACTION');
  return payment.id;
}

describe('WeChat Pay payments through the gateway', () => {
  it('confirm shows the QR code; the payer approves; the signed, encrypted notification makes it SUCCEEDED; the ledger books it', async () => {
    const payment = await createWechatPayment('25.00');
    expect(payment).toMatchObject({ status: 'REQUIRES_CONFIRMATION', channel: 'WECHAT_PAY' });
    const confirmed = await confirmWechat(payment.id);
    expect(confirmed).toMatchObject({ status: 'REQUIRES_ACTION', nextAction: { type: 'QR_CODE', url: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/) } });
    const approved = (await payerAction(system, key, payment.id, 'APPROVE')).data!.sandboxPayerAction;
    expect(approved).toMatchObject({ status: 'SUCCEEDED', nextAction: null, amountReceived: { amount: '25.00', currency: 'CNY', minorUnits: '2500' } });
    const ledger = await eventually(() => ledgerOf(system, key, payment.id), (p) => p.ledgerEntries.length > 0);
    expect(ledger.fee).toEqual({ amount: '0.63', currency: 'CNY', minorUnits: '63' });
    expect(ledger.net.amount).toBe('24.37');
  });

  it('declines at confirmation an order WeChat Pay refuses (Native takes CNY only): FAILED with PROVIDER_DECLINED', async () => {
    const payment = await createWechatPayment('10.00', 'USD');
    expect(await confirmWechat(payment.id)).toMatchObject({ status: 'FAILED', failureCode: 'PROVIDER_DECLINED', nextAction: null });
  });

  it('refuses forged, tampered, stale and unsigned notifications with 401 {code: FAIL}, and writes nothing', async () => {
    const paymentId = await awaitingNotification();
    const before = await eventsOf(paymentId);
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const authentic = paidNotification(paymentId);
    const attempts = [
      paidNotification(paymentId, { signingKey: forger }),
      { ...authentic, body: authentic.body.replace('"summary":"支付成功"', '"summary":"支付成功 "') },
      paidNotification(paymentId, { timestamp: Math.floor(Date.now() / 1000) - 360 }),
      { body: authentic.body, headers: {} },
      paidNotification(paymentId, { apiV3Key: 'fedcba9876543210fedcba9876543210' }),
    ];
    for (const attempt of attempts) {
      const response = await deliver(attempt);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ code: 'FAIL', message: expect.any(String) });
    }
    expect(await statusOf(paymentId)).toBe('REQUIRES_ACTION');
    expect(await eventsOf(paymentId)).toEqual(before);
  });

  it('books concurrent duplicate notifications once, and a later redelivery changes nothing', async () => {
    const paymentId = await awaitingNotification('10.00');
    const notification = paidNotification(paymentId);
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(notification)));
    expect(answers.map((answer) => answer.status)).toEqual([204, 204, 204, 204, 204]);
    expect(await statusOf(paymentId)).toBe('SUCCEEDED');
    expect((await deliver(notification)).status).toBe(204);
    const events = await eventsOf(paymentId);
    expect(events.filter((event) => event === 'payment.status_changed:SUCCEEDED')).toHaveLength(1);
    await settled(system);
    const ledger = await ledgerOf(system, key, paymentId);
    expect(new Set(ledger.ledgerEntries.map((entry: { journalId: string }) => entry.journalId)).size).toBe(1);
    expect(ledger.fee.amount).toBe('0.25');
  });
});

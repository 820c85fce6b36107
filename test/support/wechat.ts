import { notificationBody, type NotificationContent } from '../../simulators/wechat/notifier.js';
import { platformSignatureHeaders } from '../../simulators/wechat/reply.js';
import { expectNoErrors } from './graphql.js';
import type { ConfirmPaymentResult, CreatePaymentResult, PaymentResult } from './operations.js';
import type { NotificationRecord } from '../../simulators/wechat/state.js';
import type { System } from './system.js';
import { PAYMENT_FIELDS, uniqueKey } from './payments.js';

/** Helpers for the WeChat Pay tests: payments through the API, the simulator's sandbox controls, notifications. */

export async function createWechatPayment(system: System, apiKey: string, amount = '100.00'): Promise<PaymentResult> {
  const result = await system.query<CreatePaymentResult>(apiKey, `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
    input: { amount: { amount, currency: 'CNY' }, channel: 'WECHAT_PAY', description: 'Oolong, 1 tin', idempotencyKey: uniqueKey('wechat') },
  });
  return expectNoErrors(result).createPayment;
}

export function confirmWechat(system: System, apiKey: string, paymentId: string, idempotencyKey = uniqueKey('confirm')) {
  return system.query<ConfirmPaymentResult>(apiKey, `mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
    input: { paymentId, idempotencyKey },
  });
}

/** A new WECHAT_PAY payment showing its QR code (REQUIRES_ACTION). */
export async function wechatPaymentAwaitingPayer(system: System, apiKey: string, amount = '100.00'): Promise<PaymentResult> {
  const payment = await createWechatPayment(system, apiKey, amount);
  const confirmed = await confirmWechat(system, apiKey, payment.id);
  if (confirmed.data?.confirmPayment.status !== 'REQUIRES_ACTION') throw new Error(`confirm failed: ${JSON.stringify(confirmed)}`);
  return confirmed.data.confirmPayment;
}

async function control(system: System, method: 'POST' | 'GET' | 'DELETE', path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${system.wechatPaySimulatorUrl}/sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`wechat sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/** The simulator loses its next `count` notifications (never sends them); 0 stops losing. */
export function loseWechatNotifications(system: System, count: number): Promise<unknown> {
  return control(system, 'POST', '/notifications/lose', { count });
}

/** A notification the simulator made, as its sandbox log answers it. */
export type WechatNotificationRecord = NotificationRecord;

/** Every notification the simulator made about an order, sent or lost, oldest first. */
export function wechatNotifications(system: System, outTradeNo: string): Promise<WechatNotificationRecord[]> {
  return control(system, 'GET', `/notifications?out_trade_no=${encodeURIComponent(outTradeNo)}`);
}

export type BillCorruption =
  | { kind: 'DROP' | 'DUPLICATE'; reference: string }
  | { kind: 'CHANGE_AMOUNT'; reference: string; amount?: number }
  | { kind: 'CHANGE_STATUS'; reference: string; status?: string }
  | { kind: 'ADD'; amount?: number };

/** Makes a day's trade bill wrong; `reference` is an out_trade_no, or an out_refund_no for a refund line. */
export function corruptWechatBill(system: System, date: string, corruption: BillCorruption): Promise<unknown> {
  return control(system, 'POST', `/bills/${date}/corruptions`, corruption);
}

/** The day's bill downloads altered after WeChat Pay hashed it. */
export function tamperWechatBill(system: System, date: string): Promise<unknown> {
  return control(system, 'POST', `/bills/${date}/tamper`);
}

export function clearWechatBill(system: System, date: string): Promise<unknown> {
  return control(system, 'DELETE', `/bills/${date}/corruptions`);
}

export interface SignedNotification {
  body: string;
  headers: Record<string, string>;
}

/**
 * A notification body signed as WeChat Pay signs each delivery (Wechatpay-* headers over timestamp, nonce and
 * body): with WeChat Pay's own key by default, or another (a forgery); at another time (stale).
 */
export function signWechatNotification(system: System, body: string, change: { privateKey?: string; serial?: string; timestamp?: number } = {}): SignedNotification {
  const platform = { serial: change.serial ?? system.wechatPayKeys.platform.serial, privateKey: change.privateKey ?? system.wechatPayKeys.platform.privateKey };
  return { body, headers: platformSignatureHeaders(platform, body, change.timestamp) };
}

/** A notification body about `content`, its resource sealed with the APIv3 key (or another key). */
export function sealWechatNotification(system: System, content: NotificationContent, apiV3Key = system.wechatPayKeys.apiV3Key): string {
  return notificationBody(apiV3Key, content);
}

/** POSTs a notification to the WeChat Pay callback URL on the gateway's public host, as WeChat Pay does. */
export async function postWechatNotification(system: System, notification: SignedNotification): Promise<{ status: number; text: string }> {
  const response = await fetch(`${system.gatewayUrl}/callbacks/wechat_pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...notification.headers },
    body: notification.body,
  });
  return { status: response.status, text: await response.text() };
}

/** Today's date in China, where WeChat Pay's bills are cut. */
export function chinaToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

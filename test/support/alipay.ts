import { createSign } from 'node:crypto';
import { expectNoErrors } from './graphql.js';
import type { ConfirmPaymentResult, CreatePaymentResult, PaymentResult } from './operations.js';
import type { System } from './system.js';
import { PAYMENT_FIELDS, uniqueKey } from './payments.js';

/** Helpers for the Alipay tests: payments through the API, and the simulator's sandbox controls. */

export async function createAlipayPayment(system: System, apiKey: string, amount = '100.00'): Promise<PaymentResult> {
  const result = await system.query<CreatePaymentResult>(apiKey, `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
    input: { amount: { amount, currency: 'CNY' }, channel: 'ALIPAY', description: 'Tea, 2 boxes', idempotencyKey: uniqueKey('alipay') },
  });
  return expectNoErrors(result).createPayment;
}

export function confirmAlipay(system: System, apiKey: string, paymentId: string, idempotencyKey = uniqueKey('confirm')) {
  return system.query<ConfirmPaymentResult>(apiKey, `mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { ${PAYMENT_FIELDS} } }`, {
    input: { paymentId, idempotencyKey },
  });
}

/** A new ALIPAY payment showing its QR code (REQUIRES_ACTION). */
export async function alipayPaymentAwaitingPayer(system: System, apiKey: string, amount = '100.00'): Promise<PaymentResult> {
  const payment = await createAlipayPayment(system, apiKey, amount);
  const confirmed = await confirmAlipay(system, apiKey, payment.id);
  if (confirmed.data?.confirmPayment.status !== 'REQUIRES_ACTION') throw new Error(`confirm failed: ${JSON.stringify(confirmed)}`);
  return confirmed.data.confirmPayment;
}

async function control(system: System, method: 'POST' | 'GET' | 'DELETE', path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${system.alipaySimulatorUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`alipay sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

export function setAlipayFaults(system: System, faults: { loseNotifications?: boolean; uncertainRefunds?: boolean; lostRefundRequests?: boolean }): Promise<unknown> {
  return control(system, 'POST', '/sandbox/faults', faults);
}

export interface SimulatedNotification {
  notifyId: string;
  outTradeNo: string;
  body: string;
  attempts: number;
  delivered: boolean;
  lost: boolean;
}

/** Every notification the simulator signed about an order, sent or lost, oldest first. */
export function alipayNotifications(system: System, outTradeNo: string): Promise<SimulatedNotification[]> {
  return control(system, 'GET', `/sandbox/notifications?out_trade_no=${encodeURIComponent(outTradeNo)}`);
}

/** Makes a day's bill wrong: on the row of `outTradeNo` (a refund's row with `outRequestNo`), or the first row. */
export function corruptBill(
  system: System,
  date: string,
  kind: 'DROP' | 'ADD' | 'AMOUNT' | 'STATUS' | 'DUPLICATE',
  target: { outTradeNo?: string; outRequestNo?: string } = {},
): Promise<unknown> {
  return control(system, 'POST', '/sandbox/bill-corruptions', { date, kind, ...target });
}

export function clearBillCorruptions(system: System): Promise<unknown> {
  return control(system, 'DELETE', '/sandbox/bill-corruptions');
}

/** POSTs a notification body to the Alipay callback endpoint on the gateway's public host, as Alipay does. */
export async function postAlipayNotification(system: System, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${system.gatewayUrl}/callbacks/alipay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/**
 * A notification signed the way Alipay signs (every field but sign and sign_type, sorted) with the given
 * key: Alipay's own (the simulator's) for tests of fields only, or another one for forgeries.
 */
export function signedNotification(fields: Record<string, string>, privateKey: string): string {
  const content = Object.keys(fields).sort().map((name) => `${name}=${fields[name]}`).join('&');
  const sign = createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');
  return new URLSearchParams({ ...fields, sign_type: 'RSA2', sign }).toString();
}

export function fieldsOf(body: string): Record<string, string> {
  const fields = Object.fromEntries(new URLSearchParams(body));
  delete fields['sign'];
  delete fields['sign_type'];
  return fields;
}

/** Today's date in China, where Alipay's bills are cut. */
export function chinaToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

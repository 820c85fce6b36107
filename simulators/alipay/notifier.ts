import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { chinaTime, yuan } from './china-time.js';
import { rsa2Sign, signContent } from './signature.js';
import type { NotificationRecord, SimulatorState, TradeRecord } from './state.js';

/** Alipay's schedule: at once, then after 4m, 10m, 10m, 1h, 2h, 6h and 15h (8 attempts over about 25 hours). */
export const ALIPAY_RETRY_DELAYS_MS = [0, 4, 10, 10, 60, 120, 360, 900].map((minutes) => minutes * 60_000);
const ATTEMPT_TIMEOUT_MS = 5_000;

/** The notification's fields, as Alipay's trade_status_sync sends them; `extra` adds a refund's. */
function notificationFields(state: SimulatorState, trade: TradeRecord, extra: Record<string, string>): Record<string, string> {
  const fields: Record<string, string> = {
    notify_time: chinaTime(new Date()),
    notify_type: 'trade_status_sync',
    notify_id: `2026${randomBytes(14).toString('hex')}`,
    app_id: state.appId,
    charset: 'utf-8',
    version: '1.0',
    trade_no: trade.tradeNo ?? '',
    out_trade_no: trade.outTradeNo,
    buyer_id: trade.buyerId ?? '',
    buyer_logon_id: 'buy***@example.com',
    seller_id: state.pid,
    trade_status: trade.status,
    total_amount: yuan(trade.totalAmount),
    subject: trade.subject,
    gmt_create: chinaTime(trade.createdAt),
    ...(trade.paidAt ? { gmt_payment: chinaTime(trade.paidAt), receipt_amount: yuan(trade.totalAmount), buyer_pay_amount: yuan(trade.totalAmount) } : {}),
    ...(trade.closedAt && !trade.paidAt ? { gmt_close: chinaTime(trade.closedAt) } : {}),
    ...extra,
  };
  // an empty field is not sent at all (merchants' SDKs differ on whether an empty value is signed)
  for (const [name, value] of Object.entries(fields)) if (value === '') delete fields[name];
  const sign = rsa2Sign(signContent(fields, ['sign', 'sign_type']), state.privateKey);
  return { ...fields, sign_type: 'RSA2', sign };
}

async function attempt(url: string, body: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    return response.status === 200 && (await response.text()).trim() === 'success';
  } catch {
    return false;
  }
}

async function deliver(state: SimulatorState, url: string, record: NotificationRecord): Promise<boolean> {
  for (const waitMs of state.notifyRetryDelaysMs) {
    try {
      await delay(waitMs, undefined, { signal: state.stopping.signal });
    } catch {
      return false;
    }
    record.attempts += 1;
    if (await attempt(url, record.body)) {
      record.delivered = true;
      return true;
    }
  }
  return false;
}

/**
 * Sends the trade's notification to its notify_url until the merchant answers `success`, on the
 * (compressed) retry schedule; resolves to whether it got through. With the loseNotifications fault on,
 * it is signed and logged but never sent.
 */
export function notifyTrade(state: SimulatorState, trade: TradeRecord, extra: Record<string, string>): Promise<boolean> {
  const fields = notificationFields(state, trade, extra);
  const record: NotificationRecord = {
    notifyId: fields['notify_id']!,
    outTradeNo: trade.outTradeNo,
    body: new URLSearchParams(fields).toString(),
    attempts: 0,
    delivered: false,
    lost: state.faults.loseNotifications,
  };
  state.notifications.push(record);
  if (record.lost || !trade.notifyUrl) return Promise.resolve(false);
  const task = deliver(state, trade.notifyUrl, record);
  state.background.add(task);
  void task.finally(() => state.background.delete(task));
  return task;
}

/** Alipay's schedule divided by `divisor` (10000: the 25 hours in about 9 seconds). */
export function compressedSchedule(divisor: number): number[] {
  return ALIPAY_RETRY_DELAYS_MS.map((ms) => Math.round(ms / divisor));
}

import type { AlipaySdk } from 'alipay-sdk';
import type { ProviderCallback } from '../channel.js';
import { fromAlipayTime } from './time.js';

export interface NotificationCheck {
  sdk: AlipaySdk;
  appId: string;
  now: Date;
  /** older notifications are refused as stale; so are those dated more than five minutes ahead */
  maxAgeMs: number;
}

const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** The form's fields; null when a field is repeated (which value was signed would be ambiguous). */
function readForm(rawBody: Buffer): Record<string, string> | null {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawBody.toString('utf8'))) {
    if (Object.hasOwn(fields, name)) return null;
    fields[name] = value;
  }
  return fields;
}

/**
 * Alipay's asynchronous notification (a form POST), verified before anything is read from it: RSA2
 * signature with Alipay's public key (by the SDK's checkNotifySignV2, over the decoded values), our app
 * id, and a notify_time within `maxAgeMs`. A refund's notification carries out_biz_no (our refund id)
 * and refund_fee; the others are about the payment. Null when it is not authentic or not one we use.
 */
export function parseNotification(rawBody: Buffer, check: NotificationCheck): ProviderCallback | null {
  const form = readForm(rawBody);
  if (!form?.['sign'] || form['sign_type'] !== 'RSA2') return null;
  let authentic = false;
  try {
    authentic = check.sdk.checkNotifySignV2(form);
  } catch {
    authentic = false;
  }
  if (!authentic || form['app_id'] !== check.appId) return null;
  const sentAt = fromAlipayTime(form['notify_time']);
  if (!sentAt) return null;
  const age = check.now.getTime() - sentAt.getTime();
  if (age > check.maxAgeMs || age < -FUTURE_TOLERANCE_MS) return null;

  const { out_trade_no: paymentId, trade_no: tradeNo, notify_id: notificationId, trade_status: status } = form;
  if (!paymentId || !tradeNo || !notificationId) return null;
  if (form['out_biz_no'] && form['refund_fee']) {
    const outcome = { status: 'SUCCEEDED' as const, providerReference: tradeNo, failureCode: null };
    return { kind: 'refund', paymentId, refundId: form['out_biz_no'], outcome, notificationId };
  }
  if (status === 'TRADE_SUCCESS' || status === 'TRADE_FINISHED') {
    return { kind: 'payment', paymentId, outcome: { kind: 'captured', providerReference: tradeNo }, notificationId };
  }
  if (status === 'TRADE_CLOSED') {
    const outcome = { kind: 'declined' as const, providerReference: tradeNo, failureCode: 'PAYER_DECLINED', failureMessage: 'The order was closed at Alipay before it was paid' };
    return { kind: 'payment', paymentId, outcome, notificationId };
  }
  return null;
}

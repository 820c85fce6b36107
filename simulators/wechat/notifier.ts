import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Aes, Formatter } from 'wechatpay-axios-plugin';
import { platformSignatureHeaders } from './reply.js';
import { chinaTime, type NotificationRecord, type SimulatorState } from './state.js';

export interface NotificationEvent {
  eventType: 'TRANSACTION.SUCCESS' | 'REFUND.SUCCESS' | 'REFUND.CLOSED';
  originalType: 'transaction' | 'refund';
  outTradeNo: string;
  outRefundNo?: string;
  summary: string;
  /** the resource in clear; it travels AES-256-GCM encrypted under the APIv3 key */
  resource: unknown;
}

/** What a notification says, without whom it is about. */
export type NotificationContent = Omit<NotificationEvent, 'outTradeNo' | 'outRefundNo'>;

/** The notification body as WeChat Pay sends it: the resource encrypted, with associated_data and a 12-byte nonce. */
export function notificationBody(apiV3Key: string, event: NotificationContent): string {
  const nonce = Formatter.nonce(12);
  const associatedData = event.originalType;
  return JSON.stringify({
    id: randomUUID(),
    create_time: chinaTime(new Date()),
    resource_type: 'encrypt-resource',
    event_type: event.eventType,
    summary: event.summary,
    resource: {
      original_type: event.originalType,
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: Aes.AesGcm.encrypt(JSON.stringify(event.resource), apiV3Key, nonce, associatedData),
      associated_data: associatedData,
      nonce,
    },
  });
}

async function attempt(state: SimulatorState, url: string, body: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      // signed at each attempt: a retry carries a fresh timestamp, as WeChat Pay's do
      headers: { 'Content-Type': 'application/json', ...platformSignatureHeaders(state.keys.platform, body) },
      body,
      signal: AbortSignal.any([AbortSignal.timeout(5_000), state.shutdown.signal]),
    });
    await response.arrayBuffer();
    return response.status === 200 || response.status === 204;
  } catch {
    // unreachable, timed out or refused: a failed attempt like a 4xx/5xx answer
    return false;
  }
}

/**
 * Delivers one notification until the merchant answers 200 or 204, on the (compressed) retry schedule. Resolves
 * with the first attempt's result; later attempts go on in the background until the simulator closes.
 */
export async function notify(state: SimulatorState, url: string, event: NotificationEvent): Promise<boolean> {
  const body = notificationBody(state.keys.apiV3Key, event);
  const record: NotificationRecord = {
    id: (JSON.parse(body) as { id: string }).id,
    eventType: event.eventType,
    outTradeNo: event.outTradeNo,
    outRefundNo: event.outRefundNo ?? null,
    body,
    attempts: 0,
    delivered: false,
    lost: state.notificationsToLose > 0,
  };
  state.notifications.push(record);
  if (record.lost) {
    state.notificationsToLose -= 1;
    return false;
  }
  const deliver = async () => {
    record.attempts += 1;
    record.delivered = await attempt(state, url, body);
    return record.delivered;
  };
  if (await deliver()) return true;
  void (async () => {
    for (const wait of state.notifyRetryDelaysMs) {
      try {
        await delay(wait, undefined, { signal: state.shutdown.signal });
      } catch {
        return;
      }
      if (await deliver()) return;
    }
  })();
  return false;
}

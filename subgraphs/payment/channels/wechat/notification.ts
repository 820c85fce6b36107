import { z } from 'zod';
import type { ProviderCallback } from '../channel.js';
import { refundOutcomeOf, transactionOutcome } from './outcomes.js';
import { decryptResource, encryptedResourceSchema } from './resource.js';
import { verifyPlatformSignature, type PlatformVerifier } from './signature.js';
import { refundNotificationSchema, transactionSchema } from './wire.js';

const notificationSchema = z.object({
  id: z.string(),
  create_time: z.string(),
  event_type: z.string(),
  resource_type: z.literal('encrypt-resource'),
  resource: encryptedResourceSchema,
});

export interface NotificationKeys {
  mchid: string;
  platform: PlatformVerifier;
  apiV3Key: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Reads an API v3 notification only once it is proven to be WeChat Pay's: platform signature over the raw body
 * (five minutes' tolerance), then the AES-GCM tag of its resource under the APIv3 key, then the resource's shape
 * and our mchid. Anything else is null: forged, tampered, stale, or not a notification we act on.
 */
export function parseNotification(
  keys: NotificationKeys,
  rawBody: Buffer,
  headers: Record<string, string | undefined>,
  nowSeconds?: number,
): ProviderCallback | null {
  const body = rawBody.toString('utf8');
  if (!verifyPlatformSignature(keys.platform, headers, body, nowSeconds).ok) return null;
  const notification = notificationSchema.safeParse(parseJson(body));
  if (!notification.success) return null;
  const { event_type: event, resource } = notification.data;
  const plaintext = decryptResource(resource, keys.apiV3Key);
  if (plaintext === undefined) return null;
  const decrypted = parseJson(plaintext);
  if (resource.original_type === 'transaction' && event === 'TRANSACTION.SUCCESS') {
    const transaction = transactionSchema.safeParse(decrypted);
    if (!transaction.success || transaction.data.mchid !== keys.mchid || transaction.data.trade_state !== 'SUCCESS') return null;
    return { kind: 'payment', paymentId: transaction.data.out_trade_no, outcome: transactionOutcome(transaction.data) };
  }
  if (resource.original_type === 'refund' && event.startsWith('REFUND.')) {
    const refund = refundNotificationSchema.safeParse(decrypted);
    if (!refund.success || refund.data.mchid !== keys.mchid) return null;
    const { out_trade_no: paymentId, out_refund_no: refundId, refund_id: refundReference, refund_status: status } = refund.data;
    return { kind: 'refund', paymentId, refundId, outcome: refundOutcomeOf(status, refundReference) };
  }
  return null;
}

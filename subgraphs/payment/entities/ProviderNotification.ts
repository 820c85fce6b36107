import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A provider notification we accepted, by the provider's own id for it (Alipay notify_id). Written in
 * the transaction of its effect: the same notification arriving again is a replay and changes nothing.
 */
export const ProviderNotification = defineEntity({
  name: 'ProviderNotification',
  tableName: 'provider_notifications',
  properties: {
    channel: p.string().primary(),
    notificationId: p.string().primary(),
    paymentId: p.string(),
    receivedAt: p.datetime(3),
  },
});
export type ProviderNotification = InferEntity<typeof ProviderNotification>;

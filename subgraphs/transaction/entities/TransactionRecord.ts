import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { minorUnits } from '../../../lib/minor-units-type.js';

export const transactionTypes = ['PAYMENT', 'REFUND'] as const;
export type TransactionType = (typeof transactionTypes)[number];

export const transactionDirections = ['INCOME', 'EXPENSE'] as const;
export type TransactionDirection = (typeof transactionDirections)[number];

export const transactionStatuses = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type TransactionStatus = (typeof transactionStatuses)[number];

export const paymentChannels = ['CARD', 'ALIPAY', 'WECHAT_PAY'] as const;
export type PaymentChannel = (typeof paymentChannels)[number];

/**
 * One money movement of a merchant (a captured payment, a refund), built from the payment and
 * accounting events. Amounts are minor units of `currency`, always positive; `direction` says which
 * way the money went. `occurredAt` and `id` never change once written: history pages are keyset
 * pages on them, so a record never moves between pages.
 */
export const TransactionRecord = defineEntity({
  name: 'TransactionRecord',
  tableName: 'transactions',
  properties: {
    id: p.string().primary(),
    /** the system trade number (services/trade-numbers.ts) */
    tradeNo: p.string().unique(),
    type: p.enum([...transactionTypes]),
    direction: p.enum([...transactionDirections]),
    /** the payment (PAYMENT) or the refund (REFUND) this records: one record per movement */
    movementId: p.string().unique(),
    merchantId: p.string(),
    paymentId: p.string(),
    refundId: p.string().nullable(),
    channel: p.enum([...paymentChannels]),
    currency: p.string().length(3),
    amount: minorUnits(),
    fee: minorUnits(),
    net: minorUnits(),
    status: p.enum([...transactionStatuses]),
    /** the capture's time (PAYMENT), the refund's creation time (REFUND) */
    occurredAt: p.datetime(3),
    createdAt: p.datetime(3),
    updatedAt: p.datetime(3),
  },
  // A merchant's history newest first, alone or filtered by type (and so direction) or status;
  // the platform's history; a payment's records. Each serves its page by an index range scan.
  indexes: [
    { properties: ['merchantId', 'occurredAt', 'id'] },
    { properties: ['merchantId', 'type', 'occurredAt', 'id'] },
    { properties: ['merchantId', 'status', 'occurredAt', 'id'] },
    { properties: ['occurredAt', 'id'] },
    { properties: ['paymentId', 'occurredAt', 'id'] },
  ],
});
export type TransactionRecord = InferEntity<typeof TransactionRecord>;

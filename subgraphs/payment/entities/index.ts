import { OutboxEvent } from '../../../lib/events/outbox.js';
import { ApiKey } from './ApiKey.js';
import { IdempotencyRecord } from './IdempotencyRecord.js';
import { Merchant } from './Merchant.js';
import { Payment } from './Payment.js';
import { ProviderNotification } from './ProviderNotification.js';
import { Refund } from './Refund.js';

export const entities = [Merchant, ApiKey, Payment, Refund, IdempotencyRecord, ProviderNotification, OutboxEvent];

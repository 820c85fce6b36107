import type { Principal } from '../../lib/principal.js';
import type { Loaders } from './loaders.js';
import type { ApiKeyService } from './services/api-keys.js';
import type { MerchantService } from './services/merchants.js';
import type { PaymentService } from './services/payments.js';
import type { RefundService } from './services/refunds.js';
import type { Em } from '../../lib/database.js';
import type { SubscriptionEventRef } from '../../lib/subscription-event.js';
import type { EventLogOptions } from './services/event-log.js';

/** What every resolver of one request gets: who asks, and request-scoped loaders and services. */
export interface Context {
  principal: Principal;
  em: Em;
  loaders: Loaders;
  payments: PaymentService;
  refunds: RefundService;
  merchants: MerchantService;
  apiKeys: ApiKeyService;
  /** set when the gateway fetches a subscription's event */
  subscriptionEvent: SubscriptionEventRef | null;
  /** the event log's clock and retention, as of the read */
  eventLog: () => EventLogOptions;
}

import { z } from 'zod';
import type { EventContract } from '../../../lib/events/event-contract.js';
import { idField, timestampField } from '../../../lib/events/payload-fields.js';

/**
 * The payment subgraph's events about API keys, on the payment-events stream (aggregate `api_key`, the
 * key's id). Gateways tail them to drop a key from their caches and close its subscriptions at once;
 * every other consumer of the stream ignores them, and they are never partners' events
 * (contract/partner-events.ts knows only payment and refund types).
 */
const keyChange = z.object({
  keyId: idField,
  merchantId: idField.nullable(),
  /** when the key stops working: now for a revocation; for a roll, now or after its grace */
  endsAt: timestampField,
});

export const apiKeyEvents = {
  'api_key.revoked': keyChange,
  'api_key.rolled': keyChange.extend({ replacedBy: idField }),
} as const satisfies EventContract;

export type ApiKeyEventType = keyof typeof apiKeyEvents;

export function isApiKeyEvent(type: string): type is ApiKeyEventType {
  return Object.hasOwn(apiKeyEvents, type);
}

/** What a gateway reads of any key event. */
export const apiKeyChange = keyChange;

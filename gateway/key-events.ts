import type { EventEnvelope } from '../lib/events/event.js';
import { parseEventPayload } from '../lib/events/event-contract.js';
import { logInternalError } from '../lib/log.js';
import { apiKeyChange, isApiKeyEvent } from '../subgraphs/payment/contract/api-key-events.js';

export interface KeyEventsOptions {
  /** drops the key from the authenticator's cache (gateway/authentication.ts) */
  forgetKey: (keyId: string) => void;
  /** closes the key's open subscriptions (4403) */
  endSubscriptionsOf: (keyId: string) => void;
  /** epoch ms, on the clock the key's expiry is read on */
  now: () => number;
}

/**
 * What a gateway does with the payment subgraph's api_key events (contract/api-key-events.ts), which
 * it tails with the status events (gateway/subscriptions/event-feed.ts): the key is forgotten at once,
 * so its next use is looked up again and answered as the payment subgraph now answers it (a revoked
 * key, or a rolled one past its grace, is UNAUTHENTICATED); its subscriptions end when it stops
 * working, now or at the end of a roll's grace.
 */
export function keyEvents(options: KeyEventsOptions) {
  const timers = new Set<NodeJS.Timeout>();
  const end = (keyId: string) => {
    options.forgetKey(keyId);
    options.endSubscriptionsOf(keyId);
  };
  return {
    handle: (event: EventEnvelope): void => {
      if (!isApiKeyEvent(event.type)) return;
      let change;
      try {
        change = parseEventPayload(apiKeyChange, event);
      } catch (error) {
        return logInternalError('gateway key events', error);
      }
      options.forgetKey(change.keyId);
      const wait = change.endsAt.getTime() - options.now();
      if (wait <= 0) return options.endSubscriptionsOf(change.keyId);
      const timer = setTimeout(() => {
        timers.delete(timer);
        end(change.keyId);
      }, wait);
      timer.unref();
      timers.add(timer);
    },
    stop: (): void => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

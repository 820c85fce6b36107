import { DomainError, ErrorCode } from '../../lib/errors.js';

/** What could not be had through the outage: an event's fields, or the replay after a cursor. */
export type Interruption = 'event' | 'replay';

const what: Record<Interruption, string> = {
  event: 'An event could not be resolved while a service was unavailable, so the subscription ended before it',
  replay: 'The events after your cursor could not be read while a service was unavailable, so the subscription ended',
};

/**
 * How a subscription ends when an event could not be resolved (or the replay could not be read)
 * through an outage: INTERNAL_SERVER_ERROR, retryable, with the cursor to resubscribe with. The event
 * was not delivered, and nothing after it was, so resuming `after: resumeAfter` receives it and
 * everything that follows. resumeAfter is null only if the stream's very first event failed.
 */
export function subscriptionInterrupted(interruption: Interruption, resumeAfter: string | null): DomainError {
  const remedy = resumeAfter === null ? 'subscribe again' : 'subscribe again with after: extensions.resumeAfter';
  return new DomainError(ErrorCode.INTERNAL_SERVER_ERROR, `${what[interruption]}; ${remedy} to receive what you missed and every event after it`, {
    retryable: true,
    resumeAfter,
  });
}

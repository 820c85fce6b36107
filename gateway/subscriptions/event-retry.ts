import { setTimeout as sleep } from 'node:timers/promises';
import type { EventResult } from './execute-event.js';
import { isTransientError } from './transient-failure.js';

export interface RetryPolicy {
  /** tries after the first */
  retries: number;
  /** the wait before the first retry; doubled before each further one */
  delayMs: number;
}

/** An event whose execution still failed for a transient reason after every retry: it must not be delivered. */
export class UnresolvedEvent {
  constructor(readonly cause: unknown) {}
}

/** What a subscriber is handed for an event: its result, or the news that it could not be resolved. */
export type EventOutcome = EventResult | UnresolvedEvent;

/** Runs `attempt` until it succeeds, fails for a reason `transient` says will not pass, or the retries are used up (then throws its last error). */
export async function retryTransient<T>(policy: RetryPolicy, attempt: () => Promise<T>, transient: (error: unknown) => boolean): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (retry >= policy.retries || !transient(error)) throw error;
    }
    await sleep(policy.delayMs * 2 ** retry);
  }
}

/** The errors of a result that failed for a transient reason, thrown so that retryTransient tries again. */
class TransientResultErrors extends AggregateError {
  constructor(errors: readonly unknown[]) {
    const reasons = errors.map((error) => {
      const { message, extensions } = error as { message?: string; extensions?: { serviceName?: string } };
      return extensions?.serviceName ? `${extensions.serviceName}: ${message}` : `${message}`;
    });
    super(errors, `an event's execution failed: ${reasons.join('; ')}`);
  }
}

const throwIfTransient = (result: EventResult): EventResult => {
  if (result.errors?.some(isTransientError)) throw new TransientResultErrors(result.errors);
  return result;
};

/**
 * An event's execution with retries: a result without errors (the usual case) costs one property
 * read more. A result with a transient error, or an execution that threw, is tried again; one that
 * still fails becomes an UnresolvedEvent (reported to `onUnresolved`), never a result with holes.
 */
export async function resolveEvent(policy: RetryPolicy, execute: () => Promise<EventResult>, onUnresolved: (cause: unknown) => void): Promise<EventOutcome> {
  try {
    return await retryTransient(policy, async () => throwIfTransient(await execute()), () => true);
  } catch (cause) {
    onUnresolved(cause);
    return new UnresolvedEvent(cause);
  }
}

import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { InternalCallError } from '../../lib/internal-client.js';
import { resolveEvent, retryTransient, UnresolvedEvent } from './event-retry.js';
import type { EventResult } from './execute-event.js';
import { isTransientCallFailure, isTransientError } from './transient-failure.js';

const policy = { retries: 3, delayMs: 1 };
const coded = (code: string, serviceName = 'payment') => new GraphQLError('refused', { extensions: { code, serviceName } });
/** What executeQueryPlan answers when a fetch threw: the fetcher's own error among the GraphQL errors. */
const fetchFailed = { errors: [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })] } as unknown as EventResult;
const ok: EventResult = { data: { paymentStatusChanged: { cursor: 'c' } } };

/** An execution answering `results` in turn (the last one again once they run out), counting its calls. */
function execution(...results: (EventResult | Error)[]) {
  const calls = { count: 0 };
  const execute = async (): Promise<EventResult> => {
    const next = results[Math.min(calls.count++, results.length - 1)]!;
    if (next instanceof Error) throw next;
    return next;
  };
  return { execute, calls };
}

describe('retrying an event through an outage', () => {
  it('classifies by cause: a failed fetch and a server fault pass, a refusal is the answer', () => {
    expect(isTransientError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientError(coded('INTERNAL_SERVER_ERROR', 'accounting'))).toBe(true);
    expect(isTransientError(coded('FORBIDDEN'))).toBe(false);
    expect(isTransientError(coded('BAD_USER_INPUT'))).toBe(false);
    expect(isTransientCallFailure(new InternalCallError('/r', null, null, 'could not be reached'))).toBe(true);
    expect(isTransientCallFailure(new InternalCallError('/r', 503, null, 'answered 503'))).toBe(true);
    expect(isTransientCallFailure(new InternalCallError('/r', 400, { code: 'INTERNAL_SERVER_ERROR', message: 'db' }, 'refused'))).toBe(true);
    expect(isTransientCallFailure(new InternalCallError('/r', 400, { code: 'BAD_USER_INPUT', message: 'bad cursor' }, 'refused'))).toBe(false);
    expect(isTransientCallFailure(new Error('a bug'))).toBe(false);
  });

  it('runs a result without errors once', async () => {
    const { execute, calls } = execution(ok);
    expect(await resolveEvent(policy, execute, () => undefined)).toBe(ok);
    expect(calls.count).toBe(1);
  });

  it('delivers a result whose error is the answer (a field that refuses) without retrying', async () => {
    const refused: EventResult = { data: { paymentStatusChanged: null }, errors: [coded('FORBIDDEN')] };
    const { execute, calls } = execution(refused);
    expect(await resolveEvent(policy, execute, () => undefined)).toBe(refused);
    expect(calls.count).toBe(1);
  });

  it('retries a reset connection, a 5xx and a throwing execution until the event resolves', async () => {
    const { execute, calls } = execution(
      fetchFailed,
      { data: { paymentStatusChanged: { cursor: 'c', payment: null } }, errors: [coded('INTERNAL_SERVER_ERROR', 'accounting')] },
      new Error('boom'),
      ok,
    );
    const unresolved: unknown[] = [];
    expect(await resolveEvent(policy, execute, (cause) => void unresolved.push(cause))).toBe(ok);
    expect(calls.count).toBe(4);
    expect(unresolved).toEqual([]);
  });

  it('gives up after the retries with an UnresolvedEvent, reported once with the errors\' messages', async () => {
    const { execute, calls } = execution({ errors: [coded('INTERNAL_SERVER_ERROR')] });
    const unresolved: unknown[] = [];
    const outcome = await resolveEvent(policy, execute, (cause) => void unresolved.push(cause));
    expect(outcome).toBeInstanceOf(UnresolvedEvent);
    expect(calls.count).toBe(policy.retries + 1);
    expect(unresolved).toHaveLength(1);
    expect(String((unresolved[0] as Error).message)).toContain('payment: refused');
  });

  it('does not retry what is not transient, and retries nothing with retries 0', async () => {
    let calls = 0;
    const refusing = () => {
      calls++;
      return Promise.reject(new InternalCallError('/r', 400, { code: 'BAD_USER_INPUT', message: 'bad cursor' }, 'refused'));
    };
    await expect(retryTransient(policy, refusing, isTransientCallFailure)).rejects.toThrow('refused');
    expect(calls).toBe(1);
    const { execute, calls: once } = execution(new Error('socket hang up'));
    expect(await resolveEvent({ retries: 0, delayMs: 1 }, execute, () => undefined)).toBeInstanceOf(UnresolvedEvent);
    expect(once.count).toBe(1);
  });
});

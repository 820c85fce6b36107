import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import { decodeEventCursor, encodeEventCursor } from '../../lib/events/event-cursor.js';
import { UnresolvedEvent } from './event-retry.js';
import type { EventResult } from './execute-event.js';
import { SubscriptionMember, type Delivery } from './member.js';

const occurredAt = (position: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString();
const delivery = (position: number): Delivery => ({ position, occurredAt: occurredAt(position), result: Promise.resolve({ data: { position } } as unknown as EventResult) });
const unresolved = (position: number): Delivery => ({ position, occurredAt: occurredAt(position), result: Promise.resolve(new UnresolvedEvent(new Error('socket hang up'))) });
const cursorOf = (position: number) => encodeEventCursor({ position, occurredAt: new Date(occurredAt(position)) });

function member(options: { maxBuffered?: number; congested?: () => boolean; after?: string } = {}) {
  const ended = { count: 0, overflowed: 0 };
  const created = new SubscriptionMember({
    after: options.after ?? null,
    maxBuffered: options.maxBuffered ?? 100,
    congested: options.congested ?? (() => false),
    onOverflow: () => void ended.overflowed++,
    onEnd: () => void ended.count++,
  });
  return { member: created, ended };
}

async function* replay(...positions: number[]): AsyncGenerator<Delivery> {
  for (const position of positions) yield delivery(position);
}

const positions = async (subscriber: SubscriptionMember, count: number) => {
  const seen: unknown[] = [];
  for (let i = 0; i < count; i++) seen.push(((await subscriber.next()).value as { data: { position: number } }).data.position);
  return seen;
};

describe('a subscriber’s stream', () => {
  it('delivers the replay first, then live deliveries, dropping what the replay already covered', async () => {
    const { member: subscriber } = member();
    subscriber.push(delivery(4)); // published while the replay was being read
    subscriber.push(delivery(5));
    subscriber.startWith(replay(2, 3, 4));
    subscriber.push(delivery(7));
    expect(await positions(subscriber, 4)).toEqual([2, 3, 4, 5]);
    expect(await positions(subscriber, 1)).toEqual([7]);
  });

  it('never delivers a position twice or out of order', async () => {
    const { member: subscriber } = member();
    for (const position of [1, 2, 2, 1, 3]) subscriber.push(delivery(position));
    expect(await positions(subscriber, 3)).toEqual([1, 2, 3]);
  });

  it('ends at once on return(), releasing a pending next() and calling onEnd once', async () => {
    const { member: subscriber, ended } = member();
    const pending = subscriber.next();
    await subscriber.return();
    expect(await pending).toEqual({ done: true, value: undefined });
    subscriber.push(delivery(1));
    expect(await subscriber.next()).toEqual({ done: true, value: undefined });
    await subscriber.return();
    expect(ended.count).toBe(1);
  });

  it('overflows when more than maxBuffered deliveries wait, or when the socket is congested', async () => {
    const full = member({ maxBuffered: 2 });
    for (const position of [1, 2, 3]) full.member.push(delivery(position));
    expect(full.ended).toEqual({ count: 1, overflowed: 1 });

    let congested = false;
    const slow = member({ congested: () => congested });
    slow.member.push(delivery(1));
    congested = true;
    slow.member.push(delivery(2));
    expect(slow.ended).toEqual({ count: 1, overflowed: 1 });
  });

  it('ends before an event that could not be resolved, naming the last cursor delivered, and delivers nothing after it', async () => {
    const { member: subscriber, ended } = member();
    for (const next of [delivery(3), unresolved(5), delivery(6)]) subscriber.push(next);
    expect(await positions(subscriber, 1)).toEqual([3]);
    const error = await subscriber.next().then(() => null, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INTERNAL_SERVER_ERROR');
    expect((error as DomainError).details).toEqual({ retryable: true, resumeAfter: cursorOf(3) });
    expect(ended.count).toBe(1);
    expect(await subscriber.next()).toEqual({ done: true, value: undefined });
  });

  it('a subscriber that received nothing resumes after the cursor it subscribed with, or just before the failed event', async () => {
    const resuming = member({ after: cursorOf(2) });
    resuming.member.push(unresolved(4));
    const fromAfter = await resuming.member.next().catch((thrown: DomainError) => thrown.details['resumeAfter']);
    expect(fromAfter).toBe(cursorOf(2));

    const live = member();
    live.member.push(unresolved(9));
    const before = await live.member.next().catch((thrown: DomainError) => thrown.details['resumeAfter'] as string);
    expect(decodeEventCursor(before as string)).toEqual({ position: 8, occurredAt: new Date(occurredAt(9)) });
  });

  it('ends with the last cursor delivered when a replay page cannot be read', async () => {
    const { member: subscriber } = member({ after: cursorOf(1) });
    subscriber.startWith(
      (async function* () {
        yield delivery(2);
        throw new Error('payment subgraph unreachable');
      })(),
    );
    expect(await positions(subscriber, 1)).toEqual([2]);
    const resumeAfter = await subscriber.next().catch((thrown: DomainError) => thrown.details['resumeAfter']);
    expect(resumeAfter).toBe(cursorOf(2));
  });
});

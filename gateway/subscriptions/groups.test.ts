import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../lib/events/event.js';
import type { EventFeed, FeedListener } from './event-feed.js';
import type { EventOutcome } from './event-retry.js';
import { SubscriptionGroups, type GroupSpec } from './groups.js';
import { SubscriptionMember } from './member.js';

function feed() {
  const listeners = new Set<FeedListener>();
  const fake: EventFeed = {
    listen: (_merchantId, listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    stop: async () => undefined,
  };
  return { fake, emit: (event: EventEnvelope) => listeners.forEach((listener) => listener(event)), size: () => listeners.size };
}

const event = (position: number): EventEnvelope => ({
  id: `payment:${position}`,
  source: 'payment',
  position,
  type: 'payment.status_changed',
  aggregateType: 'payment',
  aggregateId: 'pay_1',
  sequence: position,
  occurredAt: new Date(0).toISOString(),
  payload: { merchantId: 'mer_1' },
});

const spec = (query: string): GroupSpec => ({
  query,
  operationName: undefined,
  variables: {},
  principal: { role: 'MERCHANT', merchantId: 'mer_1', keyId: 'key_1' },
  paymentId: null,
  planned: {} as GroupSpec['planned'],
});

const member = () => new SubscriptionMember({ after: null, maxBuffered: 10, congested: () => false, onOverflow: () => undefined, onEnd: () => undefined });

describe('groups of identical subscriptions', () => {
  it('execute each event once for all members of a group, and once per group', async () => {
    const { fake, emit } = feed();
    const executed: string[] = [];
    const groups = new SubscriptionGroups(fake, async (s, e) => {
      executed.push(`${s.query}@${e.position}`);
      return { data: { position: e.position } };
    });
    const [a, b, c] = [member(), member(), member()];
    groups.join(spec('A'), a);
    groups.join(spec('A'), b);
    groups.join(spec('B'), c);
    emit(event(1));
    expect((await a.next()).value).toEqual({ data: { position: 1 } });
    expect((await b.next()).value).toEqual({ data: { position: 1 } });
    expect((await c.next()).value).toEqual({ data: { position: 1 } });
    expect(executed.sort()).toEqual(['A@1', 'B@1']);
    expect(groups.groupCount).toBe(2);
  });

  it('hands every member of a group the same outcome, in the order of the feed', async () => {
    const { fake, emit } = feed();
    const outcomes = new Map<number, Promise<EventOutcome>>();
    const groups = new SubscriptionGroups(fake, (_s, e) => {
      const outcome = Promise.resolve({ data: { position: e.position } });
      outcomes.set(e.position, outcome);
      return outcome;
    });
    const [a, b] = [member(), member()];
    groups.join(spec('A'), a);
    groups.join(spec('A'), b);
    emit(event(1));
    emit(event(2));
    const first = await a.next();
    expect(first.value).toBe(await outcomes.get(1));
    expect((await b.next()).value).toBe(first.value);
    expect((await a.next()).value).toEqual({ data: { position: 2 } });
  });

  it('the last member to leave removes the group and its feed listener', () => {
    const { fake, size } = feed();
    const groups = new SubscriptionGroups(fake, async () => ({}) as EventOutcome);
    const leaveA = groups.join(spec('A'), member());
    const leaveB = groups.join(spec('A'), member());
    expect(size()).toBe(1);
    leaveA();
    expect(size()).toBe(1);
    leaveB();
    expect(size()).toBe(0);
    expect(groups.groupCount).toBe(0);
  });
});

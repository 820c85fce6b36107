import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../lib/events/event.js';
import type { EventFeed, FeedListener } from './event-feed.js';
import type { EventResult } from './execute-event.js';
import { SubscriptionGroups, type GroupSpec } from './groups.js';
import { createLimiter } from './limiter.js';
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

const member = () => new SubscriptionMember({ maxBuffered: 10, congested: () => false, onOverflow: () => undefined, onEnd: () => undefined });

describe('groups of identical subscriptions', () => {
  it('execute each event once for all members of a group, and once per group', async () => {
    const { fake, emit } = feed();
    const executed: string[] = [];
    const groups = new SubscriptionGroups(fake, async (s, e) => {
      executed.push(`${s.query}@${e.position}`);
      return { data: { position: e.position } };
    }, createLimiter(4), () => undefined);
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

  it('a failed execution is an error for that event, and the members stay subscribed', async () => {
    const { fake, emit } = feed();
    const failures: unknown[] = [];
    let fail = true;
    const groups = new SubscriptionGroups(fake, async (_s, e) => {
      if (fail) throw new Error('subgraph down');
      return { data: { position: e.position } };
    }, createLimiter(4), (error) => void failures.push(error));
    const subscriber = member();
    groups.join(spec('A'), subscriber);
    emit(event(1));
    const first = await subscriber.next();
    expect(first.done).toBe(false);
    expect((first.value as EventResult).errors?.[0]?.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
    expect(failures).toHaveLength(1);
    fail = false;
    emit(event(2));
    expect((await subscriber.next()).value).toEqual({ data: { position: 2 } });
  });

  it('the last member to leave removes the group and its feed listener', () => {
    const { fake, size } = feed();
    const groups = new SubscriptionGroups(fake, async () => ({}) as EventResult, createLimiter(1), () => undefined);
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

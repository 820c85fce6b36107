import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../lib/events/event.js';
import type { EventFeed, FeedListener } from './event-feed.js';
import { UnresolvedEvent } from './event-retry.js';
import type { EventResult } from './execute-event.js';
import { SubscriptionGroups, type GroupSpec } from './groups.js';
import { SubscriptionMember } from './member.js';
import { sharedPayloads } from './next-message.js';
import { SocketDelivery } from './socket-delivery.js';
import type { SocketWriter } from './socket-writer.js';

function feed() {
  const listeners = new Set<FeedListener>();
  const fake: EventFeed = {
    listen: (_merchantId, listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    stop: async () => undefined,
  };
  return { fake, emit: (event: EventEnvelope) => listeners.forEach((listener) => listener(event)) };
}

const event = (position: number): EventEnvelope => ({
  id: `payment:${position}`,
  source: 'payment',
  position,
  type: 'payment.status_changed',
  aggregateType: 'payment',
  aggregateId: 'pay_1',
  sequence: position,
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(),
  payload: { merchantId: 'mer_1' },
});

const spec: GroupSpec = {
  query: 'subscription { paymentStatusChanged { status } }',
  operationName: undefined,
  variables: {},
  principal: { role: 'MERCHANT', merchantId: 'mer_1', keyId: 'key_1' },
  paymentId: null,
  planned: {} as GroupSpec['planned'],
};

const resultOf = (position: number) => ({ data: { paymentStatusChanged: { status: 'SUCCEEDED', position, note: 'quote " and \u2028 ünïcode' } } }) as unknown as EventResult;

/** what graphql-ws 6 itself writes for a next message (stringifyMessage: JSON.stringify of { id, type, payload }) */
const graphqlWsNext = (id: string, payload: unknown) => JSON.stringify({ id, type: 'next', payload });

function subscribers(count: number, execute: (position: number) => Promise<EventResult | UnresolvedEvent>) {
  const { fake, emit } = feed();
  const groups = new SubscriptionGroups(fake, (_spec, e) => execute(e.position));
  const serialized: unknown[] = [];
  const payloadOf = sharedPayloads(
    (result) => ({ ...result, extra: 'formatted' }),
    (payload) => {
      serialized.push(payload);
      return JSON.stringify(payload);
    },
  );
  const written: string[][] = [];
  const members = Array.from({ length: count }, (_, i) => {
    const member = new SubscriptionMember({ after: null, maxBuffered: 10, congested: () => false, onOverflow: () => undefined, onEnd: () => leave() });
    const leave = groups.join(spec, member);
    const frames: string[] = [];
    written.push(frames);
    const write: SocketWriter = async (message) => void frames.push(message);
    // ids as clients choose them: not unique across connections, any string
    const id = i % 2 === 0 ? `sub-${i}` : `"${i}"\\`;
    return { id, member, delivery: new SocketDelivery({ id, member, write, payloadOf }) };
  });
  return { emit, serialized, written, members };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
};

describe('writing a group’s results to its subscribers’ sockets', () => {
  it('serialises an event’s payload once for the whole group, and writes each subscriber graphql-ws’s exact next message under its own id', async () => {
    const { emit, serialized, written, members } = subscribers(50, async (position) => resultOf(position));
    const loops = members.map(({ delivery }) => delivery.next());
    emit(event(1));
    emit(event(2));
    await until(() => written.every((frames) => frames.length === 2));
    // once per event, not once per subscriber
    expect(serialized).toHaveLength(2);
    members.forEach(({ id }, i) => {
      expect(written[i]).toEqual([1, 2].map((position) => graphqlWsNext(id, { ...resultOf(position), extra: 'formatted' })));
      expect(written[i]!.map((frame) => JSON.parse(frame).id)).toEqual([id, id]);
    });
    for (const { delivery } of members) await delivery.return();
    expect(await Promise.all(loops)).toEqual(members.map(() => ({ done: true, value: undefined })));
  });

  it('writes nothing under an id once its subscription ended, even for a result that was on its way', async () => {
    let release = (_result: EventResult) => undefined as void;
    const pending = new Promise<EventResult>((resolve) => (release = resolve));
    const { emit, written, members } = subscribers(2, () => pending);
    const loops = members.map(({ delivery }) => delivery.next());
    emit(event(1));
    await members[0]!.delivery.return();
    release(resultOf(1));
    await until(() => written[1]!.length === 1);
    expect(written[0]).toEqual([]);
    expect(await loops[0]).toEqual({ done: true, value: undefined });
    await members[1]!.delivery.return();
  });

  it('ends with the member’s error (graphql-ws sends it as the subscription’s error) after the results before it', async () => {
    const { emit, written, members } = subscribers(1, async (position) => (position === 2 ? new UnresolvedEvent(new Error('socket hang up')) : resultOf(position)));
    const loop = members[0]!.delivery.next();
    emit(event(1));
    emit(event(2));
    await expect(loop).rejects.toMatchObject({ name: 'DomainError', code: 'INTERNAL_SERVER_ERROR', details: { retryable: true } });
    expect(written[0]!.map((frame) => JSON.parse(frame).payload.data.paymentStatusChanged.position)).toEqual([1]);
  });
});

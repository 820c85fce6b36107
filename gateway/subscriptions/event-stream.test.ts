import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../lib/events/event.js';
import type { FeedListener } from './event-feed.js';
import { eventStream } from './event-stream.js';

function envelope(id: number, aggregateId = 'pay_1'): EventEnvelope {
  return { id: `payment:${id}`, source: 'payment', position: id, type: 'payment.status_changed', aggregateType: 'payment', aggregateId, sequence: id, occurredAt: new Date(0).toISOString(), payload: {} };
}

function feed() {
  const listeners = new Set<FeedListener>();
  return {
    listeners,
    attach: (listener: FeedListener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    publish: (event: EventEnvelope) => listeners.forEach((listener) => listener(event)),
  };
}

describe('eventStream', () => {
  it('yields one result per accepted event, in arrival order, including events queued while a result was produced', async () => {
    const source = feed();
    const stream = eventStream(source.attach, (event) => event.aggregateId === 'pay_1', async (event) => event.id, () => {});
    source.publish(envelope(1));
    source.publish(envelope(2, 'pay_2'));
    source.publish(envelope(3));
    expect(await stream.next()).toEqual({ done: false, value: 'payment:1' });
    const pending = stream.next();
    source.publish(envelope(4));
    expect(await pending).toEqual({ done: false, value: 'payment:3' });
    expect(await stream.next()).toEqual({ done: false, value: 'payment:4' });
  });

  it('detaches at once when returned while idle, ending the pending next() and releasing its slot once', async () => {
    const source = feed();
    let released = 0;
    const stream = eventStream(source.attach, () => true, async (event) => event.id, () => void (released += 1));
    const pending = stream.next();
    expect(source.listeners.size).toBe(1);
    await stream.return!();
    await stream.return!();
    expect(source.listeners.size).toBe(0);
    expect(released).toBe(1);
    expect(await pending).toEqual({ done: true, value: undefined });
    source.publish(envelope(1));
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('ends and releases when producing a result fails', async () => {
    const source = feed();
    let released = 0;
    const stream = eventStream(source.attach, () => true, async () => Promise.reject(new Error('subgraph down')), () => void (released += 1));
    source.publish(envelope(1));
    await expect(stream.next()).rejects.toThrow('subgraph down');
    expect(source.listeners.size).toBe(0);
    expect(released).toBe(1);
  });
});

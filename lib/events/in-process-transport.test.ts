import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from './event.js';
import { createInProcessTransport } from './in-process-transport.js';
import { pollUntil } from '../../test/support/eventually.js';

function event(aggregateId: string, sequence: number): EventEnvelope {
  return { id: `t:${aggregateId}:${sequence}`, source: 't', position: sequence, type: 'x', aggregateType: 'a', aggregateId, sequence, occurredAt: new Date(0).toISOString(), payload: {} };
}

/** A handler that records the ids it handled. */
const recording =
  (ids: string[], prefix = '') =>
  async (events: readonly EventEnvelope[]) => {
    ids.push(...events.map((e) => `${prefix}${e.id}`));
    return [];
  };

describe('in-process transport', () => {
  it('delivers every event once per group, in publish order, also to a group that subscribes later', async () => {
    const transport = createInProcessTransport();
    const first: string[] = [];
    const second: string[] = [];
    await transport.subscribe('s', 'g1', 'c1', recording(first));
    await transport.publish('s', [event('a', 1), event('b', 1), event('a', 2)]);
    await transport.subscribe('s', 'g2', 'c1', recording(second));
    await pollUntil(() => first.length === 3 && second.length === 3);
    expect(first).toEqual(['t:a:1', 't:b:1', 't:a:2']);
    expect(second).toEqual(first);
    await transport.close();
  });

  it('hands a group what is pending for it as one batch, at most 100 events', async () => {
    const transport = createInProcessTransport();
    await transport.publish('s', Array.from({ length: 250 }, (_, i) => event('a', i + 1)));
    const batches: number[] = [];
    await transport.subscribe('s', 'g', 'c', async (events) => {
      batches.push(events.length);
      return [];
    });
    await pollUntil(() => batches.length === 3);
    expect(batches).toEqual([100, 100, 50]);
    await transport.close();
  });

  it('consumers of one group share the batches: each event is handled once', async () => {
    const transport = createInProcessTransport();
    const handled: string[] = [];
    await transport.subscribe('s', 'g', 'c1', recording(handled, 'c1 '));
    await transport.subscribe('s', 'g', 'c2', recording(handled, 'c2 '));
    for (let i = 0; i < 10; i++) {
      await transport.publish('s', [event('a', i + 1)]);
      await pollUntil(() => handled.length === i + 1);
    }
    expect(new Set(handled.map((h) => h.split(' ')[1])).size).toBe(10);
    expect(handled.some((h) => h.startsWith('c1')) && handled.some((h) => h.startsWith('c2'))).toBe(true);
    await transport.close();
  });

  it('delivers again, from the first event its handler did not handle, the rest of the batch', async () => {
    const transport = createInProcessTransport();
    const handed: string[][] = [];
    let failures = 2;
    await transport.subscribe('s', 'g', 'c', async (events) => {
      handed.push(events.map((e) => e.id));
      const second = events.find((e) => e.id === 't:a:2');
      return second && failures-- > 0 ? [{ event: second, error: new Error('not yet') }] : [];
    });
    await transport.publish('s', [event('a', 1), event('a', 2), event('a', 3)]);
    await pollUntil(() => handed.length === 3);
    expect(handed).toEqual([
      ['t:a:1', 't:a:2', 't:a:3'],
      ['t:a:2', 't:a:3'],
      ['t:a:2', 't:a:3'],
    ]);
    await transport.close();
  });

  it('a handler that throws gets the same batch again, and later events wait for it', async () => {
    const transport = createInProcessTransport();
    const handled: string[] = [];
    let failures = 2;
    await transport.subscribe('s', 'g', 'c', async (events) => {
      if (failures-- > 0) throw new Error('not yet');
      handled.push(...events.map((e) => e.id));
      return [];
    });
    await transport.publish('s', [event('a', 1), event('a', 2)]);
    await pollUntil(() => handled.length === 2);
    expect(handled).toEqual(['t:a:1', 't:a:2']);
    expect(failures).toBe(-1);
    await transport.close();
  });

  it('a tail sees only events published after it started, and nothing after it stopped', async () => {
    const transport = createInProcessTransport();
    await transport.publish('s', [event('a', 1)]);
    const seen: string[] = [];
    const tail = await transport.tail('s', (e) => void seen.push(e.id));
    await transport.publish('s', [event('a', 2), event('b', 1)]);
    await tail.stop();
    await transport.publish('s', [event('a', 3)]);
    expect(seen).toEqual(['t:a:2', 't:b:1']);
    await transport.close();
  });
});

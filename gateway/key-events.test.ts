import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../lib/events/event.js';
import { keyEvents } from './key-events.js';

const NOW = Date.parse('2026-12-02T12:00:00.000Z');

function event(type: string, endsAt: number): EventEnvelope {
  return {
    id: `payment:${type}`,
    source: 'payment',
    position: 1,
    type,
    aggregateType: 'api_key',
    aggregateId: 'key_1',
    sequence: 1,
    occurredAt: new Date(NOW).toISOString(),
    payload: { keyId: 'key_1', merchantId: 'mer_1', endsAt: new Date(endsAt).toISOString(), replacedBy: 'key_2' },
  };
}

function recording() {
  const seen: string[] = [];
  const handler = keyEvents({ forgetKey: (id) => void seen.push(`forget ${id}`), endSubscriptionsOf: (id) => void seen.push(`end ${id}`), now: () => NOW });
  return { seen, handler };
}

describe('gateway key events', () => {
  it('a revocation forgets the key and ends its subscriptions at once', () => {
    const { seen, handler } = recording();
    handler.handle(event('api_key.revoked', NOW));
    expect(seen).toEqual(['forget key_1', 'end key_1']);
  });

  it('a roll with a grace forgets the key now (its expiry changed) and ends its subscriptions only when the grace is over', () => {
    const { seen, handler } = recording();
    handler.handle(event('api_key.rolled', NOW + 3_600_000));
    expect(seen).toEqual(['forget key_1']);
    handler.stop();
  });

  it('ignores the status events and any type it does not know', () => {
    const { seen, handler } = recording();
    handler.handle(event('payment.status_changed', NOW));
    handler.handle(event('api_key.renamed', NOW));
    expect(seen).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { ACCOUNTING_CONSUMER } from '../../subgraphs/accounting/index.js';
import { ANALYTICS_CONSUMER } from '../../subgraphs/analytics/services/consumers.js';
import { TRANSACTION_CONSUMER } from '../../subgraphs/transaction/index.js';
import { inboxConsumer, startEventConsumer } from './consumer.js';
import type { EventEnvelope, EventTransport } from './event.js';

const from = (source: string): EventEnvelope => ({
  id: `${source}:1`,
  source,
  position: 1,
  type: 'x',
  aggregateType: 'payment',
  aggregateId: 'pay_1',
  sequence: 1,
  occurredAt: new Date(0).toISOString(),
  payload: {},
});

describe('inboxConsumer', () => {
  // The values stored in each subgraph's inbox table: databases written before keep their positions.
  it('names the inbox positions as the databases already store them', () => {
    expect(inboxConsumer(ACCOUNTING_CONSUMER, from('payment'))).toBe('accounting');
    expect(inboxConsumer(TRANSACTION_CONSUMER, from('payment'))).toBe('transaction:payment');
    expect(inboxConsumer(TRANSACTION_CONSUMER, from('accounting'))).toBe('transaction:accounting');
    expect(inboxConsumer(ANALYTICS_CONSUMER, from('payment'))).toBe('analytics:payment');
    expect(inboxConsumer(ANALYTICS_CONSUMER, from('accounting'))).toBe('analytics:accounting');
  });
});

describe('startEventConsumer', () => {
  it('stops the subscriptions it started when a later one fails', async () => {
    const stopped: string[] = [];
    const transport: EventTransport = {
      publish: async () => undefined,
      subscribe: async (stream) => {
        if (stream === 'second') throw new Error('refused');
        return { stop: async () => void stopped.push(stream) };
      },
      tail: async () => ({ stop: async () => undefined }),
      close: async () => undefined,
    };
    const starting = startEventConsumer({
      group: 'g',
      streams: ['first', 'second'],
      transport,
      fork: () => {
        throw new Error('no database in this test');
      },
      dialect: 'sqlite',
      apply: async () => undefined,
      onError: () => undefined,
    });
    await expect(starting).rejects.toThrow('refused');
    expect(stopped).toEqual(['first']);
  });
});

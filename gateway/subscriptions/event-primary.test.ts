import type { GraphQLDataSource, ServiceMap } from '@apollo/gateway';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { encodeEventCursor } from '../../lib/events/event-cursor.js';
import type { EventEnvelope } from '../../lib/events/event.js';
import type { Principal } from '../../lib/principal.js';
import { answeringFromEvents } from './event-primary.js';

const event: EventEnvelope = {
  id: 'payment:42',
  source: 'payment',
  position: 17,
  type: 'payment.status_changed',
  aggregateType: 'payment',
  aggregateId: 'pay_1',
  sequence: 3,
  occurredAt: '2026-01-01T00:00:05.123Z',
  payload: { merchantId: 'mer_1', status: 'SUCCEEDED', previousStatus: 'PROCESSING' },
};
const merchant: Principal = { role: 'MERCHANT', merchantId: 'mer_1', keyId: 'key_1' };

function services() {
  const sent: string[] = [];
  const remote: GraphQLDataSource = {
    process: async (options) => {
      sent.push(options.request.query!);
      return { data: { remote: true } };
    },
  };
  return { map: answeringFromEvents({ payment: remote } satisfies ServiceMap), sent };
}

const fetch = (map: ServiceMap, query: string, context: Record<string, unknown>) =>
  map['payment']!.process({ kind: 'incoming operation', request: { query, variables: {} }, context, document: parse(query) } as unknown as Parameters<GraphQLDataSource['process']>[0]);

// the primary fetch Apollo's planner makes of `paymentStatusChanged { cursor … payment { fee { amount } } }`
const PRIMARY = 'subscription { paymentStatusChanged { cursor paymentId previousStatus status occurredAt payment { __typename id } } }';

describe('answering a subscription’s primary fetch from its event', () => {
  it('answers what the event carries as the payment subgraph does, without a fetch', async () => {
    const { map, sent } = services();
    const response = await fetch(map, PRIMARY, { principal: merchant, event });
    expect(sent).toEqual([]);
    expect(response).toEqual({
      data: {
        paymentStatusChanged: {
          cursor: encodeEventCursor({ position: 17, occurredAt: new Date(event.occurredAt) }),
          paymentId: 'pay_1',
          previousStatus: 'PROCESSING',
          status: 'SUCCEEDED',
          occurredAt: '2026-01-01T00:00:05.123Z',
          payment: { __typename: 'Payment', id: 'pay_1' },
        },
      },
    });
  });

  it('sends the fetch to the subgraph when it selects more than the event carries, for a principal who may not see the event, and outside an event', async () => {
    const { map, sent } = services();
    const withStatus = 'subscription { paymentStatusChanged { cursor payment { __typename id status } } }';
    await fetch(map, withStatus, { principal: merchant, event });
    await fetch(map, PRIMARY, { principal: { ...merchant, merchantId: 'mer_2' }, event });
    await fetch(map, PRIMARY, { principal: merchant, event: { ...event, payload: { merchantId: 'mer_1' } } });
    await fetch(map, PRIMARY, { principal: merchant });
    expect(sent).toEqual([withStatus, PRIMARY, PRIMARY, PRIMARY]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from 'graphql-ws';
import { ledgerOf } from '../support/accounting.js';
import { eventually } from '../support/eventually.js';
import { signedJsonHeaders } from '../../lib/internal-signature.js';
import { encodePrincipal, type Principal } from '../../lib/principal.js';
import { SUBSCRIPTION_EVENT_EXTENSION } from '../../lib/subscription-event.js';
import { decodeEventCursor, encodeEventCursor } from '../../lib/events/event-cursor.js';
import { confirm, createPayment, issueApiKey, payerAction, paymentTable, selectRows, TEST_CARDS } from '../support/payments.js';
import { errorCodes, events, live as liveFor, rawSubscriptionConnection, subscriptionClient, type Subscriber, type SubscriptionClient } from '../support/subscriptions.js';
import { startSystem, type System } from '../support/system.js';

const WATCH = `
  subscription Watch($id: ID) {
    paymentStatusChanged(paymentId: $id) {
      cursor paymentId previousStatus status occurredAt
      payment { id status amountReceived { amount } ledgerEntries { side amount { amount } } }
    }
  }
`;

const MAX_PER_KEY = 3;
let system: System;
const clients: SubscriptionClient[] = [];

function client(apiKey: string | null): SubscriptionClient {
  const opened = subscriptionClient(system, apiKey);
  clients.push(opened);
  return opened;
}

const live = (subscriber: Subscriber, apiKey: string) => liveFor(system, subscriber, apiKey);

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { MAX_SUBSCRIPTIONS_PER_KEY: String(MAX_PER_KEY) } });
});

afterAll(async () => {
  for (const opened of clients) await opened.close();
  await system?.stop();
});

describe('Subscription.paymentStatusChanged through the gateway', () => {
  it('streams a 3-D Secure card payment from REQUIRES_CONFIRMATION to SUCCEEDED in order, each event resolved across subgraphs', async () => {
    const { apiKey } = await system.seedMerchant('3DS subscriber');
    const watcher = client(apiKey).subscribe(WATCH);
    await live(watcher, apiKey);

    const payment = await createPayment(system, apiKey, { amount: '100.00' });
    expect((await confirm(system, apiKey, payment.id, TEST_CARDS.threeDSecure)).data?.confirmPayment.status).toBe('REQUIRES_ACTION');
    expect((await payerAction(system, apiKey, payment.id, 'APPROVE')).data?.sandboxPayerAction.status).toBe('SUCCEEDED');

    const order = ['REQUIRES_CONFIRMATION', 'PROCESSING', 'REQUIRES_ACTION', 'SUCCEEDED'];
    const received = await eventually(async () => events(watcher, payment.id), (found) => found.at(-1)?.status === 'SUCCEEDED');
    expect(watcher.results.every((result) => result.errors === undefined)).toBe(true);
    expect(received.map((event) => event.status)).toEqual(order);
    expect(received.map((event) => event.previousStatus)).toEqual([null, ...order.slice(0, -1)]);
    const positions = received.map((event) => decodeEventCursor(event.cursor)?.position ?? NaN);
    expect(positions.every((position, i) => Number.isInteger(position) && (i === 0 || position > positions[i - 1]!))).toBe(true);
    for (const [i, event] of received.entries()) {
      expect(event.paymentId).toBe(payment.id);
      expect(Date.parse(event.occurredAt)).not.toBeNaN();
      // `payment` is the payment as it is when the event is delivered, so never earlier than the event
      expect(event.payment.id).toBe(payment.id);
      expect(order.indexOf(event.payment.status)).toBeGreaterThanOrEqual(i);
      expect(Array.isArray(event.payment.ledgerEntries)).toBe(true);
    }
    const succeeded = received.at(-1);
    expect(succeeded.payment).toMatchObject({ status: 'SUCCEEDED', amountReceived: { amount: '100.00' } });
    // Accounting books the capture from the same event stream, concurrently with delivery, so the
    // SUCCEEDED event may come before or after the booking; the ledger is asserted once booked.
    for (const entry of succeeded.payment.ledgerEntries) expect(['DEBIT', 'CREDIT']).toContain(entry.side);
    const booked = await eventually(() => ledgerOf(system, apiKey, payment.id), (p) => p.ledgerEntries.length > 0);
    expect(new Set(booked.ledgerEntries.map((entry: { side: string }) => entry.side))).toEqual(new Set(['CREDIT', 'DEBIT']));
  });

  it('writes graphql-ws next messages exactly, each under its subscriber\'s own id, with the same payload for every member of a group', async () => {
    const { apiKey } = await system.seedMerchant('Raw subscriber');
    const query = 'subscription { paymentStatusChanged { cursor paymentId status payment { id amount { amount } fee { amount } } } }';
    const one = await rawSubscriptionConnection(system, apiKey);
    const two = await rawSubscriptionConnection(system, apiKey);
    try {
      // ids are the client's: two subscriptions on one connection, and the same id on another connection
      one.subscribe('a', query);
      one.subscribe('b "quoted"', query);
      two.subscribe('a', query);
      const subscriptions = [[one, 'a'], [one, 'b "quoted"'], [two, 'a']] as const;
      await eventually(
        async () => (await createPayment(system, apiKey, { amount: '1.00' })).id,
        () => subscriptions.every(([connection, id]) => connection.nextFrames(id).length > 0),
        { what: 'a probe payment\'s event on every subscription', intervalMs: 200 },
      );

      const payment = await createPayment(system, apiKey, { amount: '7.00' });
      const framesOf = (connection: typeof one, id: string) =>
        eventually(
          async () => connection.nextFrames(id).filter((frame) => frame.includes(payment.id)),
          (found) => found.length === 1,
        );
      const received = await Promise.all(subscriptions.map(([connection, id]) => framesOf(connection, id)));
      const payloads = received.map(([frame], i) => {
        const message = JSON.parse(frame!);
        // byte for byte what graphql-ws writes: { id, type, payload } in that order, no whitespace
        expect(frame).toBe(JSON.stringify({ id: subscriptions[i]![1], type: 'next', payload: message.payload }));
        return JSON.stringify(message.payload);
      });
      expect(new Set(payloads).size).toBe(1);
      const { data } = JSON.parse(payloads[0]!);
      expect(Object.keys(JSON.parse(payloads[0]!))).toEqual(['data']);
      expect(data.paymentStatusChanged).toMatchObject({ paymentId: payment.id, status: 'REQUIRES_CONFIRMATION', payment: { id: payment.id, amount: { amount: '7.00' } } });
      expect(data.paymentStatusChanged.payment).toHaveProperty('fee');

      // a completed subscription gets nothing more; the other one on its connection does
      one.complete('a');
      const next = await createPayment(system, apiKey, { amount: '8.00' });
      await eventually(async () => one.nextFrames('b "quoted"').filter((frame) => frame.includes(next.id)), (found) => found.length === 1);
      await eventually(async () => two.nextFrames('a').filter((frame) => frame.includes(next.id)), (found) => found.length === 1);
      // one more event through the same connection: anything for `a` would have been written before it
      const last = await createPayment(system, apiKey, { amount: '9.00' });
      await eventually(async () => one.nextFrames('b "quoted"').filter((frame) => frame.includes(last.id)), (found) => found.length === 1);
      expect(one.nextFrames('a').filter((frame) => frame.includes(next.id) || frame.includes(last.id))).toEqual([]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('an event answered from its envelope (payment { fee } only) reads the same as one the payment subgraph answers (payment { status })', async () => {
    const { apiKey } = await system.seedMerchant('Envelope subscriber');
    const fields = 'cursor paymentId previousStatus status occurredAt';
    const fromEvent = client(apiKey).subscribe(`subscription { paymentStatusChanged { ${fields} payment { id fee { amount } } } }`);
    const fromSubgraph = client(apiKey).subscribe(`subscription { paymentStatusChanged { ${fields} payment { id status } } }`);
    await live(fromEvent, apiKey);
    await live(fromSubgraph, apiKey);
    const payment = await createPayment(system, apiKey, { amount: '12.00' });
    await confirm(system, apiKey, payment.id);
    const received = await Promise.all(
      [fromEvent, fromSubgraph].map((subscriber) => eventually(async () => events(subscriber, payment.id), (found) => found.at(-1)?.status === 'SUCCEEDED')),
    );
    const eventFields = (event: Record<string, unknown>) => ({ ...event, payment: (event['payment'] as { id: string }).id });
    expect(received[0]!.map(eventFields)).toEqual(received[1]!.map(eventFields));
    expect(received[0]!.map((event) => event.previousStatus)).toEqual([null, 'REQUIRES_CONFIRMATION', 'PROCESSING']);
  });

  it('never delivers another merchant\'s events to a merchant, with or without a paymentId', async () => {
    const a = await system.seedMerchant('Merchant A');
    const b = await system.seedMerchant('Merchant B');
    const paymentOfA = await createPayment(system, a.apiKey);

    const bClient = client(b.apiKey);
    const bForAsPayment = bClient.subscribe(WATCH, { id: paymentOfA.id });
    const bAll = bClient.subscribe(WATCH);
    const adminClient = client(system.adminKey);
    const adminForAsPayment = adminClient.subscribe(WATCH, { id: paymentOfA.id });
    await live(bAll, b.apiKey);
    await live(adminClient.subscribe(WATCH), b.apiKey);

    expect((await confirm(system, a.apiKey, paymentOfA.id)).data?.confirmPayment.status).toBe('SUCCEEDED');
    await eventually(async () => events(adminForAsPayment), (found) => found.at(-1)?.status === 'SUCCEEDED');
    // Events reach every subscription in publish order: once B's later payment has arrived, A's are past.
    const later = await createPayment(system, b.apiKey);
    await eventually(async () => events(bAll, later.id), (found) => found.length > 0);

    // The relay may publish the payment's creation before or after these subscriptions went live.
    const adminStatuses = events(adminForAsPayment).map((event) => event.status);
    expect(adminStatuses.filter((status) => status !== 'REQUIRES_CONFIRMATION')).toEqual(['PROCESSING', 'SUCCEEDED']);
    expect(bForAsPayment.results).toEqual([]);
    expect(bForAsPayment.error).toBeUndefined();
    expect(events(bAll).every((event) => event.paymentId !== paymentOfA.id)).toBe(true);
    expect(bAll.results.every((result) => result.errors === undefined)).toBe(true);
  });

  it('closes a connection with a bad or missing key with 4403 before any subscription runs', async () => {
    for (const key of ['pgk_not_a_real_key_000000000000000000000', null]) {
      const refused = client(key).subscribe(WATCH);
      await refused.ended();
      expect((refused.error as { code?: number }).code).toBe(CloseCode.Forbidden);
      expect(refused.results).toEqual([]);
    }
  });

  it('refuses an ANALYST key with FORBIDDEN', async () => {
    const analyst = await issueApiKey(system, 'ANALYST');
    const refused = client(analyst).subscribe(WATCH);
    await refused.ended();
    expect(errorCodes(refused.error)).toEqual(['FORBIDDEN']);
  });

  it('refuses a malformed, unknown or expired cursor, and non-subscription operations, with BAD_USER_INPUT', async () => {
    const { apiKey } = await system.seedMerchant('Resumer');
    const opened = client(apiKey);
    const resume = (after: string) => opened.subscribe('subscription($after: String) { paymentStatusChanged(after: $after) { cursor } }', { after });
    const cases = [
      [resume('payment:1'), /not a cursor of this API/],
      [resume(encodeEventCursor({ position: 1e12, occurredAt: new Date() })), /names no event/],
      [resume(encodeEventCursor({ position: 1, occurredAt: new Date(Date.now() - 8 * 86_400_000) })), /older than the 7 days events are kept/],
      [opened.subscribe('{ viewer { role } }'), /only subscriptions are served/],
    ] as const;
    for (const [subscriber, message] of cases) {
      await subscriber.ended();
      expect(errorCodes(subscriber.error)).toEqual(['BAD_USER_INPUT']);
      expect((subscriber.error as { message: string }[])[0]!.message).toMatch(message);
      expect(subscriber.results).toEqual([]);
    }
  });

  it(`limits one key to ${MAX_PER_KEY} open subscriptions, and frees a slot when one completes`, async () => {
    const { apiKey } = await system.seedMerchant('Greedy');
    const opened = client(apiKey);
    const held = Array.from({ length: MAX_PER_KEY }, () => opened.subscribe(WATCH));
    await live(held[MAX_PER_KEY - 1]!, apiKey);
    const refused = client(apiKey).subscribe(WATCH);
    await refused.ended();
    expect(errorCodes(refused.error)).toEqual(['RATE_LIMITED']);

    held[0]!.unsubscribe();
    // admitted, not merely not refused yet: a retry in the freed slot receives a probe payment's event
    await eventually(
      async () => {
        const retry = opened.subscribe(WATCH);
        return live(retry, apiKey).then(() => true, () => false);
      },
      (admitted) => admitted,
      { what: 'a subscription admitted in the freed slot' },
    );
  });

  it('refuses to subscribe with a clear error on a gateway started without an event transport', async () => {
    const gateway = await system.startGateway({}, null);
    try {
      const opened = subscriptionClient({ ...system, gatewayUrl: gateway.url }, system.adminKey);
      const refused = opened.subscribe(WATCH);
      await refused.ended();
      await opened.close();
      expect((refused.error as { message: string }[])[0]!.message).toMatch(/started without an event transport/);
    } finally {
      await gateway.close();
    }
  });

  it('the payment subgraph answers an event\'s fetch only for a principal who may see that payment', async () => {
    const a = await system.seedMerchant('Owner');
    const b = await system.seedMerchant('Stranger');
    const payment = await createPayment(system, a.apiKey);
    const row = await eventually(
      async () => (await selectRows(system, `select id, position, occurred_at from ${paymentTable(system, 'outbox')} where aggregate_id = ?`, [payment.id]))[0],
      (found) => found?.['position'] !== null && found?.['position'] !== undefined,
    );
    const eventId = `payment:${String(row!['id'])}`;
    const cursor = encodeEventCursor({ position: Number(row!['position']), occurredAt: new Date(payment.createdAt) });
    const fetchEvent = async (principal: Principal, paymentId: string | null) => {
      const body = JSON.stringify({
        query: 'subscription($id: ID) { paymentStatusChanged(paymentId: $id) { cursor paymentId status payment { id status } } }',
        variables: { id: paymentId },
        extensions: { [SUBSCRIPTION_EVENT_EXTENSION]: { eventId } },
      });
      const encoded = encodePrincipal(principal);
      const response = await fetch(`${system.paymentUrl}/graphql`, {
        method: 'POST',
        headers: signedJsonHeaders(system.internalSecret, { method: 'POST', service: 'payment', path: '/graphql', principal: encoded, body }),
        body,
      });
      return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
    };
    const owner = await fetchEvent({ role: 'MERCHANT', merchantId: a.merchantId, keyId: null }, null);
    expect(owner.data?.paymentStatusChanged).toEqual({ cursor, paymentId: payment.id, status: 'REQUIRES_CONFIRMATION', payment: { id: payment.id, status: 'REQUIRES_CONFIRMATION' } });
    for (const refused of [
      await fetchEvent({ role: 'MERCHANT', merchantId: b.merchantId, keyId: null }, null),
      await fetchEvent({ role: 'MERCHANT', merchantId: a.merchantId, keyId: null }, 'pay_another'),
    ]) {
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });
});

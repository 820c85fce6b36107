import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { statusEventsRoute } from '../../subgraphs/payment/contract/internal-routes.js';
import { eventually, pollUntil } from '../support/eventually.js';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from '../support/fault-proxy.js';
import { confirm, createPayment, paymentTable, selectRows } from '../support/payments.js';
import { errorCodes, events, live, positionOf, subscriptionClient, type Subscriber, type SubscriptionClient } from '../support/subscriptions.js';
import { startSystem, type System } from '../support/system.js';

const WATCH = `
  subscription Watch($after: String) {
    paymentStatusChanged(after: $after) { cursor paymentId status payment { id status fee { amount } } }
  }
`;

/** A gateway that retries an event 3 times, 50 ms, 100 ms and 200 ms apart. */
const RETRYING = { SUBSCRIPTION_EVENT_RETRIES: '3', SUBSCRIPTION_EVENT_RETRY_DELAY: '50ms' };

let system: System;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  system = await startSystem();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await system?.stop();
});

/** A gateway whose calls to one subgraph go through a fault proxy, and a merchant subscribed live through it. */
async function throughProxy(subgraph: 'payment' | 'accounting') {
  const proxy = await startFaultProxy(subgraph === 'payment' ? system.paymentUrl : system.accounting.url);
  cleanups.push(() => proxy.close());
  const gateway = await system.startGateway({ ...RETRYING, [subgraph === 'payment' ? 'PAYMENT_SUBGRAPH_URL' : 'ACCOUNTING_SUBGRAPH_URL']: proxy.url }, system.transport);
  cleanups.push(() => gateway.close());
  const view: System = { ...system, gatewayUrl: gateway.url };
  const { apiKey } = await system.seedMerchant(`Subscriber behind a failing ${subgraph}`);
  const client = (): SubscriptionClient => {
    const opened = subscriptionClient(view, apiKey);
    cleanups.push(() => opened.close());
    return opened;
  };
  const subscriber = client().subscribe(WATCH);
  await live(view, subscriber, apiKey);
  return { proxy, view, apiKey, subscriber, client };
}

/** The payment subgraph's answer to a subscription event (the primary fetch of its plan). */
const eventFetch = (request: ProxiedRequest) => request.path === '/graphql' && request.body.includes('paygraphEvent');
const replayRead = (request: ProxiedRequest) => request.path === statusEventsRoute.path;

/** The error a subscription ended with, as the graphql-ws client received it. */
const endError = (subscriber: Subscriber) => (subscriber.error as { message: string; extensions: Record<string, unknown> }[])[0]!;

/** Takes the payment subgraph's outbox table away (every read of it fails, as with its database down), and puts it back. */
async function outboxOffline(): Promise<() => Promise<void>> {
  await selectRows(system, `alter table ${paymentTable(system, 'outbox')} rename to "outbox_offline"`);
  return async () => void (await selectRows(system, `alter table ${paymentTable(system, 'outbox_offline')} rename to "outbox"`));
}

/** A new payment whose event's fetch is held at the proxy until the payment subgraph's outbox is offline. */
async function paymentWithOutboxOffline(proxy: FaultProxy, apiKey: string) {
  proxy.hold(eventFetch);
  const payment = await createPayment(system, apiKey);
  await pollUntil(() => proxy.held === 1);
  return { payment, restore: await outboxOffline() };
}

describe('subscriptions through outages', () => {
  it('an event whose payment fetch is cut off twice is retried and arrives with its cursor, without errors', async () => {
    const { proxy, apiKey, subscriber } = await throughProxy('payment');
    proxy.fail(eventFetch, 'reset', 2);
    const payment = await createPayment(system, apiKey);
    const [event] = await eventually(async () => events(subscriber, payment.id), (found) => found.length === 1);
    expect(event).toMatchObject({ paymentId: payment.id, status: 'REQUIRES_CONFIRMATION', payment: { id: payment.id } });
    expect(positionOf(event.cursor)).toBeGreaterThan(0);
    expect(subscriber.results.every((result) => result.errors === undefined)).toBe(true);
    expect(proxy.requests.filter((request) => request.answer === 'reset')).toHaveLength(2);
  });

  it('an event whose accounting entities answer 503 twice is retried and arrives whole', async () => {
    const { proxy, apiKey, subscriber } = await throughProxy('accounting');
    const payment = await createPayment(system, apiKey, { amount: '40.00' });
    await eventually(async () => events(subscriber, payment.id), (found) => found.length === 1);
    proxy.fail((request) => request.body.includes('_entities') && request.body.includes(payment.id), 'unavailable', 2);
    await confirm(system, apiKey, payment.id);
    const received = await eventually(async () => events(subscriber, payment.id), (found) => found.at(-1)?.status === 'SUCCEEDED');
    expect(received.map((event) => event.status)).toEqual(['REQUIRES_CONFIRMATION', 'PROCESSING', 'SUCCEEDED']);
    expect(subscriber.results.flatMap((result) => result.errors ?? [])).toEqual([]);
    const entityFetches = proxy.requests.filter((request) => request.body.includes('_entities') && request.body.includes(payment.id));
    expect(entityFetches.filter((request) => request.answer === 503)).toHaveLength(2);
    // and PROCESSING and SUCCEEDED were each answered in the end
    expect(entityFetches.filter((request) => request.answer === 200).length).toBeGreaterThanOrEqual(2);
  });

  it('a payment subgraph that stays unreachable ends the subscription with the last cursor to resume after; resuming delivers the event and what follows', async () => {
    const { proxy, apiKey, subscriber, client } = await throughProxy('payment');
    const first = await createPayment(system, apiKey);
    const [delivered] = await eventually(async () => events(subscriber, first.id), (found) => found.length === 1);
    proxy.fail(eventFetch, 'reset');
    const missed = await createPayment(system, apiKey);
    const later = await createPayment(system, apiKey);
    await subscriber.ended();
    expect(errorCodes(subscriber.error)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(endError(subscriber).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', retryable: true, resumeAfter: delivered.cursor });
    expect(endError(subscriber).message).toMatch(/subscribe again with after/);
    // nothing after the failed event either: the last thing delivered is still the event before it
    expect(events(subscriber).at(-1)).toEqual(delivered);
    // 1 try and 3 retries
    expect(proxy.requests.filter((request) => request.answer === 'reset').length).toBeGreaterThanOrEqual(4);

    proxy.heal();
    const resumed = client().subscribe(WATCH, { after: endError(subscriber).extensions['resumeAfter'] });
    const received = await eventually(async () => events(resumed), (found) => found.some((event) => event.paymentId === later.id));
    expect(received.map((event) => event.paymentId)).toEqual([missed.id, later.id]);
    expect(resumed.results.every((result) => result.errors === undefined)).toBe(true);
  });

  it('a replay against an unreachable payment subgraph is refused as INTERNAL_SERVER_ERROR and retryable, not BAD_USER_INPUT', async () => {
    const { proxy, apiKey, subscriber, client } = await throughProxy('payment');
    const payment = await createPayment(system, apiKey);
    const [event] = await eventually(async () => events(subscriber, payment.id), (found) => found.length === 1);
    proxy.fail(replayRead, 'reset');
    const resumed = client().subscribe(WATCH, { after: event.cursor });
    await resumed.ended();
    expect(endError(resumed).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', retryable: true, resumeAfter: event.cursor });
    expect(endError(resumed).message).toMatch(/events after your cursor could not be read/);
    expect(proxy.requests.filter((request) => replayRead(request) && request.answer === 'reset')).toHaveLength(4);
    proxy.fail(replayRead, 'unavailable');
    const again = client().subscribe(WATCH, { after: event.cursor });
    await again.ended();
    expect(errorCodes(again.error)).toEqual(['INTERNAL_SERVER_ERROR']);
  });

  it('an event whose payment database fails on the first try is retried once it is back, and arrives with its cursor', async () => {
    const { proxy, apiKey, subscriber } = await throughProxy('payment');
    const { payment, restore } = await paymentWithOutboxOffline(proxy, apiKey);
    try {
      proxy.release();
      // the first try reached the subgraph, which answered that it failed; the retry waits at the proxy
      await pollUntil(() => proxy.held === 1 && proxy.requests.some((request) => eventFetch(request) && /INTERNAL_SERVER_ERROR/.test(request.answerBody ?? '')));
    } finally {
      await restore();
    }
    proxy.heal();
    const [event] = await eventually(async () => events(subscriber, payment.id), (found) => found.length === 1);
    expect(event).toMatchObject({ paymentId: payment.id, status: 'REQUIRES_CONFIRMATION', payment: { id: payment.id } });
    expect(subscriber.results.every((result) => result.errors === undefined)).toBe(true);
  });

  it('a payment database that stays down ends the subscription with the cursor to resume after; its replay is refused as retryable meanwhile; once it is back, resuming delivers the event', async () => {
    const { proxy, apiKey, subscriber, client } = await throughProxy('payment');
    const first = await createPayment(system, apiKey);
    const [delivered] = await eventually(async () => events(subscriber, first.id), (found) => found.length === 1);
    const { payment: missed, restore } = await paymentWithOutboxOffline(proxy, apiKey);
    try {
      proxy.heal();
      await subscriber.ended();
      expect(endError(subscriber).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', retryable: true, resumeAfter: delivered.cursor });
      expect(events(subscriber).at(-1)).toEqual(delivered);

      const early = client().subscribe(WATCH, { after: delivered.cursor });
      await early.ended();
      expect(endError(early).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', retryable: true, resumeAfter: delivered.cursor });
    } finally {
      await restore();
    }
    const resumed = client().subscribe(WATCH, { after: delivered.cursor });
    const [event] = await eventually(async () => events(resumed), (found) => found.length > 0);
    expect(event).toMatchObject({ paymentId: missed.id, status: 'REQUIRES_CONFIRMATION' });
    expect(resumed.results[0]!.errors).toBeUndefined();
  });
});

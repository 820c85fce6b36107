import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { confirm, createPayment, payerAction, TEST_CARDS } from '../support/payments.js';
import { events, live, positionOf, statusEventPositions, subscriptionClient, type SubscriptionClient } from '../support/subscriptions.js';
import { startSystem, type System } from '../support/system.js';

const WATCH = `
  subscription Watch($after: String) {
    paymentStatusChanged(after: $after) { cursor paymentId status payment { id status fee { amount } } }
  }
`;

let system: System;
const clients: SubscriptionClient[] = [];

function client(apiKey: string): SubscriptionClient {
  const opened = subscriptionClient(system, apiKey);
  clients.push(opened);
  return opened;
}

async function payAndSucceed(apiKey: string, card: string = TEST_CARDS.succeeds): Promise<string> {
  const payment = await createPayment(system, apiKey, { amount: '12.34' });
  const confirmed = await confirm(system, apiKey, payment.id, card);
  if (confirmed.data?.confirmPayment.status === 'REQUIRES_ACTION') await payerAction(system, apiKey, payment.id, 'APPROVE');
  return payment.id;
}

beforeAll(async () => {
  system = await startSystem();
});

afterAll(async () => {
  for (const opened of clients) await opened.close();
  await system?.stop();
});

describe('resuming a subscription with after', () => {
  it('replays every change after the cursor exactly once and in order, then continues live with no gap or repeat at the seam', async () => {
    const { merchantId, apiKey } = await system.seedMerchant('Resuming partner');
    const first = client(apiKey);
    const watcher = first.subscribe(WATCH);
    await live(system, watcher, apiKey);
    const before = await payAndSucceed(apiKey);
    await eventually(async () => events(watcher, before), (found) => found.at(-1)?.status === 'SUCCEEDED');
    const lastCursor: string = events(watcher).at(-1).cursor;
    await first.close();

    // While disconnected: a 3-D Secure payment, a declined one, one left unconfirmed.
    const missed = [await payAndSucceed(apiKey, TEST_CARDS.threeDSecure), await payAndSucceed(apiKey, TEST_CARDS.declined)];
    missed.push((await createPayment(system, apiKey)).id);
    await system.payment.flushOutbox();

    const resumed = client(apiKey).subscribe(WATCH, { after: lastCursor });
    // More changes while the replay runs and after it: the seam.
    const during = await Promise.all([payAndSucceed(apiKey), payAndSucceed(apiKey)]);
    const after = await payAndSucceed(apiKey);
    const received = await eventually(async () => events(resumed), (found) => found.some((e) => e.paymentId === after && e.status === 'SUCCEEDED'));
    expect(resumed.results.every((result) => result.errors === undefined)).toBe(true);

    const positions = received.map((event) => positionOf(event.cursor));
    const expected = await statusEventPositions(system, merchantId, positionOf(lastCursor), positions.at(-1)!);
    expect(positions).toEqual(expected);
    for (const id of [...missed, ...during, after]) expect(received.some((event) => event.paymentId === id)).toBe(true);
    expect(received.some((event) => event.paymentId === before)).toBe(false);
    const missedStatuses = received.filter((event) => event.paymentId === missed[0]).map((event) => event.status);
    expect(missedStatuses).toEqual(['REQUIRES_CONFIRMATION', 'PROCESSING', 'REQUIRES_ACTION', 'SUCCEEDED']);
    expect(received.filter((event) => event.paymentId === missed[1]).map((event) => event.status)).toEqual(['REQUIRES_CONFIRMATION', 'PROCESSING', 'FAILED']);
  });

  it('resuming delivers only what comes after the cursor, and a payment filter applies to the replay and the live stream', async () => {
    const { apiKey } = await system.seedMerchant('Filtered resumer');
    const watched = await createPayment(system, apiKey);
    const other = await createPayment(system, apiKey);
    const first = client(apiKey);
    const filtered = first.subscribe('subscription($id: ID, $after: String) { paymentStatusChanged(paymentId: $id, after: $after) { cursor paymentId status } }', {
      id: watched.id,
    });
    await confirm(system, apiKey, other.id);
    await confirm(system, apiKey, watched.id);
    const seen = await eventually(async () => events(filtered), (found) => found.at(-1)?.status === 'SUCCEEDED');
    expect(seen.every((event) => event.paymentId === watched.id)).toBe(true);
    const beforeLast: string = seen.at(-2).cursor;
    await first.close();

    const second = client(apiKey);
    const again = second.subscribe('subscription($id: ID, $after: String) { paymentStatusChanged(paymentId: $id, after: $after) { cursor paymentId status } }', {
      id: watched.id,
      after: beforeLast,
    });
    await eventually(async () => events(again), (found) => found.length > 0);
    // A barrier instead of a pause: once an unfiltered subscriber on the same gateway has the next
    // payment's SUCCEEDED, the feed has offered that payment's events to every subscription.
    const everything = second.subscribe('subscription { paymentStatusChanged { paymentId status } }');
    await live(system, everything, apiKey);
    const nextPayment = await createPayment(system, apiKey);
    await confirm(system, apiKey, nextPayment.id);
    await eventually(async () => events(everything, nextPayment.id), (found) => found.at(-1)?.status === 'SUCCEEDED');
    expect(again.error).toBeUndefined();
    expect(events(again)).toEqual([seen.at(-1)]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEventCursor } from '../../lib/events/event-cursor.js';
import { eventually } from '../support/eventually.js';
import { expectNoErrors, type GraphQLResponse } from '../support/graphql.js';
import { confirm, createPayment, errorCode, issueApiKey, paymentTable, refund, selectRows } from '../support/payments.js';
import { events, live, positionOf, statusEventPositions, subscriptionClient, type SubscriptionClient } from '../support/subscriptions.js';
import { startSystem, type System } from '../support/system.js';

const EVENTS = `query($first: Int, $after: String, $filter: EventFilter) {
  events(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id cursor type data createdAt payment { id status } refund { id status } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const WATCH = 'subscription($after: String) { paymentStatusChanged(after: $after) { cursor paymentId status } }';

interface EventNode {
  id: string;
  cursor: string;
  type: string;
  data: Record<string, any>;
  createdAt: string;
  payment: { id: string; status: string } | null;
  refund: { id: string; status: string } | null;
}
interface EventsPage {
  edges: { cursor: string; node: EventNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

let system: System;
const clients: SubscriptionClient[] = [];

function query(apiKey: string, variables: Record<string, unknown>): Promise<GraphQLResponse<{ events: EventsPage }>> {
  return system.query<{ events: EventsPage }>(apiKey, EVENTS, variables);
}

async function page(apiKey: string, variables: Record<string, unknown>): Promise<EventsPage> {
  return expectNoErrors(await query(apiKey, variables)).events;
}

/** Every event after `after`, `first` a page; the last cursor of the walk too (null when nothing came). */
async function walk(apiKey: string, variables: Record<string, unknown> = {}, first = 3): Promise<{ nodes: EventNode[]; last: string | null }> {
  const nodes: EventNode[] = [];
  let after = (variables['after'] as string | undefined) ?? null;
  for (let pages = 0; pages < 200; pages++) {
    const next = await page(apiKey, { ...variables, first, after });
    nodes.push(...next.edges.map((edge) => edge.node));
    expect(next.pageInfo.endCursor).toBe(next.edges.at(-1)?.cursor ?? null);
    if (next.pageInfo.endCursor) after = next.pageInfo.endCursor;
    if (!next.pageInfo.hasNextPage) return { nodes, last: after };
  }
  throw new Error('the log did not end');
}

const PAID_AND_REFUNDED = ['payment.created', 'payment.status_changed', 'payment.status_changed', 'refund.created', 'refund.status_changed'];

/** A card payment that succeeds, then a partial refund of it: five events of the log (two of them refunds). */
async function payAndRefund(apiKey: string): Promise<string> {
  const payment = await createPayment(system, apiKey, { amount: '20.00' });
  expectNoErrors(await confirm(system, apiKey, payment.id));
  expectNoErrors(await refund(system, apiKey, payment.id, { amount: '5.00', currency: 'USD' }));
  return payment.id;
}

/** The positions of a merchant's events in the outbox after `after`, behind the API's back: what the log must show. */
async function logPositions(merchantId: string, after = 0): Promise<number[]> {
  const rows = await selectRows(
    system,
    `select position from ${paymentTable(system, 'outbox')} where merchant_id = ? and position > ? order by position`,
    [merchantId, after],
  );
  return rows.map((row) => Number(row['position']));
}

const positions = (nodes: { cursor: string }[]) => nodes.map((node) => positionOf(node.cursor));

let merchant: { merchantId: string; apiKey: string };
let other: { merchantId: string; apiKey: string };
const paid: string[] = [];

beforeAll(async () => {
  system = await startSystem();
  merchant = await system.seedMerchant('Event log partner');
  other = await system.seedMerchant('Another partner');
  paid.push(await payAndRefund(merchant.apiKey));
  await payAndRefund(other.apiKey);
  paid.push(await payAndRefund(merchant.apiKey));
  await system.payment.flushOutbox();
});

afterAll(async () => {
  for (const opened of clients) await opened.close();
  await system?.stop();
});

describe('events', () => {
  it('pages the merchant’s log oldest first, each event once, with its data, payment and refund', async () => {
    const { nodes } = await walk(merchant.apiKey, {}, 2);
    expect(positions(nodes)).toEqual(await logPositions(merchant.merchantId));
    expect(nodes.map((node) => node.type)).toEqual([...PAID_AND_REFUNDED, ...PAID_AND_REFUNDED]);
    expect(new Set(nodes.map((node) => node.id)).size).toBe(nodes.length);
    const [created, , succeeded, refundCreated, refunded] = nodes;
    expect(created!.payment).toEqual({ id: paid[0], status: 'SUCCEEDED' });
    expect(created!.refund).toBeNull();
    expect(created!.data).toMatchObject({ object: 'payment', id: paid[0], status: 'REQUIRES_CONFIRMATION', previousStatus: null, amount: { amount: '20.00', currency: 'USD' } });
    expect(succeeded!.data).toMatchObject({ status: 'SUCCEEDED', previousStatus: 'PROCESSING', amountReceived: { amount: '20.00' } });
    expect(refundCreated!.refund).toMatchObject({ status: 'SUCCEEDED' });
    expect(refundCreated!.data).toMatchObject({ object: 'refund', paymentId: paid[0], status: 'PENDING', amount: { amount: '5.00', currency: 'USD', minorUnits: '500' } });
    expect(refunded!.data).toMatchObject({ object: 'refund', id: refundCreated!.refund!.id, status: 'SUCCEEDED' });
    expect(refunded!.payment).toEqual({ id: paid[0], status: 'SUCCEEDED' });
    expect(nodes.every((node) => node.cursor === positionCursor(node))).toBe(true);
  });

  it('filters by public type and by payment; an unknown type is BAD_USER_INPUT', async () => {
    const refunds = await walk(merchant.apiKey, { filter: { types: ['refund.status_changed'] } });
    expect(refunds.nodes.map((node) => node.type)).toEqual(['refund.status_changed', 'refund.status_changed']);
    const onePayment = await walk(merchant.apiKey, { filter: { paymentId: paid[1], types: ['payment.created', 'refund.created'] } });
    expect(onePayment.nodes.map((node) => [node.type, node.payment?.id])).toEqual([
      ['payment.created', paid[1]],
      ['refund.created', paid[1]],
    ]);
    const unknown = await query(merchant.apiKey, { filter: { types: ['payment.created', 'refund.succeeded'] } });
    expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0]?.message).toMatch(/refund\.succeeded: not an event type/);
  });

  it('shows a merchant only its own events; ADMIN and a platform-wide ANALYST see every merchant’s', async () => {
    const mine = await walk(merchant.apiKey);
    const theirs = await walk(other.apiKey);
    expect(positions(theirs.nodes)).toEqual(await logPositions(other.merchantId));
    expect(theirs.nodes.some((node) => node.payment && paid.includes(node.payment.id))).toBe(false);
    // another merchant's payment filter finds nothing, and its events' cursors show nothing of ours
    expect((await page(other.apiKey, { filter: { paymentId: paid[0] } })).edges).toEqual([]);
    const everyone = [...positions(mine.nodes), ...positions(theirs.nodes)].sort((a, b) => a - b);
    for (const key of [system.adminKey, await issueApiKey(system, 'ANALYST', null)]) {
      expect(positions((await walk(key, {}, 100)).nodes).filter((position) => everyone.includes(position))).toEqual(everyone);
    }
    const boundAnalyst = await issueApiKey(system, 'ANALYST', other.merchantId);
    expect(positions((await walk(boundAnalyst)).nodes)).toEqual(positions(theirs.nodes));
  });

  it('refuses a malformed cursor, one older than the retention, and a page size outside 1..100', async () => {
    const { nodes } = await walk(merchant.apiKey);
    const malformed = await query(merchant.apiKey, { after: 'not-a-cursor' });
    expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
    expect(malformed.errors?.[0]?.message).toMatch(/is not a cursor of this API/);
    const beyond = await query(merchant.apiKey, { after: encodeEventCursor({ position: 1_000_000, occurredAt: new Date() }) });
    expect(errorCode(beyond)).toBe('BAD_USER_INPUT');
    const expired = encodeEventCursor({ position: positionOf(nodes[0]!.cursor), occurredAt: new Date(system.clock.now().getTime() - 8 * 86_400_000) });
    const old = await query(merchant.apiKey, { after: expired });
    expect(errorCode(old)).toBe('BAD_USER_INPUT');
    expect(old.errors?.[0]?.message).toMatch(/older than the 7 days events are kept/);
    for (const first of [0, 101]) expect(errorCode(await query(merchant.apiKey, { first }))).toBe('BAD_USER_INPUT');
  });

  it('reads a page, its payments and its refunds in three statements', async () => {
    // warm: the key's lookup is cached after the first request
    await page(merchant.apiKey, { first: 10 });
    const before = system.paymentQueries.length;
    const full = await page(merchant.apiKey, { first: 10 });
    const statements = system.paymentQueries.slice(before);
    expect(full.edges).toHaveLength(10);
    expect(statements.filter((sql) => /outbox/.test(sql))).toHaveLength(1);
    expect(statements).toHaveLength(3);
  });
});

describe('one cursor for the subscription and the log', () => {
  it('a partner moves from a subscription to events at its last cursor and back, missing nothing and repeating nothing', async () => {
    const partner = await system.seedMerchant('Switching partner');
    const client = subscriptionClient(system, partner.apiKey);
    clients.push(client);
    const streamed = client.subscribe(WATCH);
    await live(system, streamed, partner.apiKey);
    const watched = [await payAndRefund(partner.apiKey), await payAndRefund(partner.apiKey)];
    await eventually(async () => events(streamed, watched[1]), (found) => found.at(-1)?.status === 'SUCCEEDED');
    const streamCursor: string = events(streamed).at(-1).cursor;
    await client.close();

    // stream stopped: payments and refunds the partner then reads from the log
    const offline = [await payAndRefund(partner.apiKey), await payAndRefund(partner.apiKey)];
    await system.payment.flushOutbox();
    const paged = await walk(partner.apiKey, { after: streamCursor });
    expect(positions(paged.nodes)).toEqual(await logPositions(partner.merchantId, positionOf(streamCursor)));
    // the stream ended at the last payment's SUCCEEDED: its refund, which no status stream carries, comes next in the log
    expect(paged.nodes.filter((node) => node.type.startsWith('refund.')).map((node) => node.payment?.id)).toEqual([watched[1], watched[1], offline[0], offline[0], offline[1], offline[1]]);
    expect(paged.nodes.some((node) => node.type.startsWith('payment.') && watched.includes(node.payment!.id))).toBe(false);
    // from its first event (once live) to its last the stream held every status event once; the log continues after it
    const streamedPositions = positions(events(streamed));
    expect(streamedPositions).toEqual(await statusEventPositions(system, partner.merchantId, streamedPositions[0]! - 1, positionOf(streamCursor)));
    // the log's last event is a refund's: its cursor still resumes the status stream
    expect(paged.nodes.at(-1)!.type).toBe('refund.status_changed');

    // back to the subscription from the log's last cursor: more payments made before and after it resumes
    const beforeResume = await payAndRefund(partner.apiKey);
    await system.payment.flushOutbox();
    const again = subscriptionClient(system, partner.apiKey);
    clients.push(again);
    const resumed = again.subscribe(WATCH, { after: paged.last });
    const afterResume = await payAndRefund(partner.apiKey);
    const received = await eventually(async () => events(resumed), (found) => found.some((event) => event.paymentId === afterResume && event.status === 'SUCCEEDED'));
    expect(resumed.results.every((result) => result.errors === undefined)).toBe(true);
    const last = positionOf(paged.last!);
    expect(positions(received)).toEqual(await statusEventPositions(system, partner.merchantId, last, positions(received).at(-1)!));
    expect(received.filter((event) => event.paymentId === beforeResume).map((event) => event.status)).toEqual(['REQUIRES_CONFIRMATION', 'PROCESSING', 'SUCCEEDED']);
    expect(received.some((event) => offline.includes(event.paymentId) || watched.includes(event.paymentId))).toBe(false);
  });
});

function positionCursor(node: EventNode): string {
  return encodeEventCursor({ position: positionOf(node.cursor), occurredAt: new Date(node.createdAt) });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { createPayment, errorCode, paymentIn, paymentTable, uniqueKey } from '../support/payments.js';
import { expectNoErrors } from '../support/graphql.js';
import type { PaymentResult } from '../support/operations.js';

let system: System;
let key: string;
/** The merchant's payments in the order they were created, oldest first. */
const created: { id: string; status: string; channel: string; createdAt: string }[] = [];

const listQuery = `query($first: Int, $after: String, $filter: PaymentFilter) {
  payments(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id status channel createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function list(variables: Record<string, unknown>): Promise<any> {
  return expectNoErrors(await system.query<{ payments: unknown }>(key, listQuery, variables)).payments;
}
const ids = (page: any): string[] => page.edges.map((edge: any) => edge.node.id);
const newestFirst = (payments: { id: string }[]) => payments.map((payment) => payment.id).reverse();

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant('Listed')).apiKey;
  // Another merchant's payment, created in between, must never appear.
  const other = await system.seedMerchant('Other');
  for (const status of ['SUCCEEDED', 'REQUIRES_CONFIRMATION', 'FAILED', 'CANCELED', 'SUCCEEDED', 'REQUIRES_CONFIRMATION']) {
    created.push(await paymentIn(system, key, status));
    if (created.length === 3) await createPayment(system, other.apiKey);
  }
  const wallet = await system.query<{ createPayment: PaymentResult }>(key, 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id status channel createdAt } }', {
    input: { amount: { amount: '5.00', currency: 'CNY' }, channel: 'ALIPAY', idempotencyKey: uniqueKey() },
  });
  created.push(expectNoErrors(wallet).createPayment);
  // Each payment was created after the previous one's answer: their times differ, so newest first is one order.
  expect(new Set(created.map((payment) => payment.createdAt)).size).toBe(created.length);
});
afterAll(async () => system?.stop());

describe('payments', () => {
  it('lists the merchant’s payments newest first', async () => {
    const page = await list({ first: 100 });
    expect(ids(page)).toEqual(newestFirst(created));
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: page.edges.at(-1).cursor });
  });

  it('first: 2 walks every payment once, in order, with correct page info', async () => {
    const seen: string[] = [];
    const pages: any[] = [];
    let after: string | null = null;
    do {
      const page: any = await list({ first: 2, after });
      pages.push(page);
      seen.push(...ids(page));
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after !== null && pages.length <= created.length);
    expect(seen).toEqual(newestFirst(created));
    expect(pages.map((page) => page.edges.length)).toEqual([2, 2, 2, 1]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, true, false]);
  });

  it('a page that ends exactly at the last payment says there is no next page', async () => {
    const head = await list({ first: created.length - 2 });
    expect(head.pageInfo.hasNextPage).toBe(true);
    const tail = await list({ first: 2, after: head.pageInfo.endCursor });
    expect(ids(tail)).toEqual(newestFirst(created).slice(-2));
    expect(tail.pageInfo.hasNextPage).toBe(false);
  });

  it('payments created in the same millisecond are neither repeated nor skipped across pages', async () => {
    const same = await system.seedMerchant('Same millisecond');
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await createPayment(system, same.apiKey)).id);
    // Behind the API: give all five the first one's creation time, as if created at once.
    const payments = paymentTable(system, 'payments');
    await system.payment.database.fork().getConnection().execute(
      `update ${payments} set created_at = (select created_at from ${payments} where id = ?) where merchant_id = ?`,
      [made[0], same.merchantId],
      'run',
    );
    const seen: string[] = [];
    const times = new Set<string>();
    let after: string | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const page: any = expectNoErrors(await system.query<{ payments: unknown }>(same.apiKey, listQuery, { first: 2, after })).payments;
      seen.push(...ids(page));
      page.edges.forEach((edge: any) => times.add(edge.node.createdAt));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      if (!after) break;
    }
    expect(times.size).toBe(1);
    expect(seen).toEqual([...made].sort().reverse());
  });

  it('first: 0 answers no edges', async () => {
    expect((await list({ first: 0 })).edges).toEqual([]);
  });
});

describe('payments filters', () => {
  it('status: any of the listed statuses', async () => {
    const page = await list({ first: 100, filter: { status: ['FAILED', 'CANCELED'] } });
    expect(ids(page)).toEqual(newestFirst(created.filter((p) => ['FAILED', 'CANCELED'].includes(p.status))));
    expect(ids(page)).toHaveLength(2);
    const succeeded = await list({ first: 100, filter: { status: ['SUCCEEDED'] } });
    expect(ids(succeeded)).toEqual(newestFirst(created.filter((p) => p.status === 'SUCCEEDED')));
  });

  it('channel', async () => {
    expect(ids(await list({ first: 100, filter: { channel: ['ALIPAY'] } }))).toEqual([created.at(-1)!.id]);
    expect(ids(await list({ first: 100, filter: { channel: ['CARD'] } }))).toEqual(newestFirst(created.slice(0, -1)));
    expect(ids(await list({ first: 100, filter: { channel: ['WECHAT_PAY'] } }))).toEqual([]);
  });

  it('createdAfter and createdBefore are exclusive bounds', async () => {
    const at = (index: number) => created[index]!.createdAt;
    expect(ids(await list({ first: 100, filter: { createdAfter: at(1) } }))).toEqual(newestFirst(created.slice(2)));
    expect(ids(await list({ first: 100, filter: { createdBefore: at(4) } }))).toEqual(newestFirst(created.slice(0, 4)));
    expect(ids(await list({ first: 100, filter: { createdAfter: at(1), createdBefore: at(4) } }))).toEqual(newestFirst(created.slice(2, 4)));
  });

  it('filters and the cursor combine', async () => {
    const filter = { channel: ['CARD'], createdAfter: created[0]!.createdAt };
    const first = await list({ first: 2, filter });
    const rest = await list({ first: 100, after: first.pageInfo.endCursor, filter });
    expect([...ids(first), ...ids(rest)]).toEqual(newestFirst(created.slice(1, -1)));
  });

  it.each([
    ['equal to', 0],
    ['after', 1],
  ])('createdAfter %s createdBefore is BAD_USER_INPUT', async (_name, offsetMs) => {
    const before = created[2]!.createdAt;
    const after = new Date(Date.parse(before) + offsetMs).toISOString();
    const result = await system.query(key, listQuery, { first: 10, filter: { createdAfter: after, createdBefore: before } });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
  });

  it('a page with its payments’ merchants and refunds reads one statement per table', async () => {
    const fields = `query { payments(first: 20) { edges { node { id status amount { amount currency minorUnits } metadata createdAt
      merchant { id name } refunds { id } } } } }`;
    const from = system.paymentQueries.length;
    const page = expectNoErrors(await system.query<{ payments: any }>(key, fields)).payments;
    // the relay's polling and the gateway's key lookup are not the page's
    const reads = system.paymentQueries.slice(from).filter((sql) => sql.includes('select ') && !sql.includes('outbox') && !sql.includes('api_keys'));
    expect(reads).toHaveLength(3);
    expect(reads.map((sql) => /from (\S+)/.exec(sql)?.[1]?.replace(/["`]/g, '').split('.').at(-1))).toEqual(['payments', 'merchants', 'refunds']);
    expect(page.edges.map((edge: any) => edge.node.id)).toEqual(newestFirst(created));
    for (const { node } of page.edges) {
      expect(node.merchant.name).toBe('Listed');
      expect(node.refunds).toEqual([]);
      expect(node.amount.minorUnits).toBe(String(Math.round(Number.parseFloat(node.amount.amount) * 100)));
      expect(typeof node.createdAt).toBe('string');
    }
  });
});

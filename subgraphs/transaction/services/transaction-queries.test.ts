import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../lib/principal.js';
import { AccountingStream, openTestDatabase, PaymentStream, testRecorder } from '../test-kit.js';
import { TestClock } from '../../../test/support/clock.js';
import { listTransactions, type TransactionFilter } from './transaction-queries.js';

const merchant: Principal = { role: 'MERCHANT', merchantId: 'mer_1', keyId: 'key_1' };
const admin: Principal = { role: 'ADMIN', merchantId: null, keyId: null };
const minute = (m: number) => new Date(Date.UTC(2026, 10, 22, 10, m));

let database: Awaited<ReturnType<typeof openTestDatabase>>;

beforeAll(async () => {
  database = await openTestDatabase();
  const recorder = testRecorder(database, new TestClock(minute(0)));
  const accounting = new AccountingStream();
  const payments = new PaymentStream();
  for (let m = 0; m < 10; m++) {
    await recorder.handle(accounting.paymentBooked({ paymentId: `pay_${m}`, merchantId: m === 9 ? 'mer_2' : 'mer_1' }, 1000n, 59n, minute(m)));
  }
  await recorder.handle(payments.refund({ paymentId: 'pay_0', merchantId: 'mer_1' }, 'refund.created', 're_1', 100n, minute(10)));
});
afterAll(() => database.remove());

/** Every page of `first`, as payment ids (or refund ids) newest first. */
async function walk(principal: Principal, first: number, filter: TransactionFilter = {}): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const page = await listTransactions(database.fork(), principal, { first, after, filter });
    seen.push(...page.edges.map((edge) => edge.node.refundId ?? edge.node.paymentId));
    if (!page.pageInfo.hasNextPage) return seen;
    after = page.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

describe('listTransactions', () => {
  it('newest first, the caller’s merchant only; ADMIN sees every merchant', async () => {
    expect(await walk(merchant, 3)).toEqual(['re_1', 'pay_8', 'pay_7', 'pay_6', 'pay_5', 'pay_4', 'pay_3', 'pay_2', 'pay_1', 'pay_0']);
    expect((await walk(admin, 100))[1]).toBe('pay_9');
  });

  it('occurredBefore with a cursor: whichever bound is tighter applies', async () => {
    const filter = { occurredBefore: minute(6), occurredAfter: minute(1) };
    expect(await walk(merchant, 2, filter)).toEqual(['pay_5', 'pay_4', 'pay_3', 'pay_2']);
    expect(await walk(merchant, 1, filter)).toEqual(['pay_5', 'pay_4', 'pay_3', 'pay_2']);
    // a cursor from a page without the filter, newer than occurredBefore
    const first = await listTransactions(database.fork(), merchant, { first: 1 });
    const page = await listTransactions(database.fork(), merchant, { first: 10, after: first.pageInfo.endCursor, filter });
    expect(page.edges.map((edge) => edge.node.paymentId)).toEqual(['pay_5', 'pay_4', 'pay_3', 'pay_2']);
  });

  it('direction is served as the types that go that way', async () => {
    expect(await walk(merchant, 100, { direction: ['EXPENSE'] })).toEqual(['re_1']);
    expect(await walk(merchant, 100, { direction: ['INCOME'], type: ['REFUND'] })).toEqual([]);
  });
});

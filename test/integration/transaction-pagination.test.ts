import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../lib/events/event.js';
import { startSystem, type System } from '../support/system.js';
import { confirm, createPayment } from '../support/payments.js';
import { allTransactions, recorded, transactionsPage } from '../support/transactions.js';
import type { TransactionsPageResult } from '../support/operations.js';

type TransactionsPage = TransactionsPageResult['transactions'];

let system: System;
let merchant: { merchantId: string; apiKey: string };

beforeAll(async () => {
  system = await startSystem();
  merchant = await system.seedMerchant('Paged');
  for (let i = 0; i < 9; i++) {
    const payment = await createPayment(system, merchant.apiKey, { amount: `${10 + i}.00` });
    await confirm(system, merchant.apiKey, payment.id);
  }
  await recorded(system);
});
afterAll(async () => system?.stop());

const key = (node: { occurredAt: string; id: string }) => `${node.occurredAt} ${node.id}`;

let late = 0;
/** accounting's booking of a payment captured at `capturedAt`, arriving only now (a lagging stream) */
function lateBooking(capturedAt: Date): EventEnvelope {
  late += 1;
  const paymentId = `pay_late_${late}`;
  return {
    id: `accounting:late-${late}`,
    source: 'accounting',
    position: late,
    type: 'accounting.payment_booked',
    aggregateType: 'payment',
    aggregateId: paymentId,
    sequence: 1,
    occurredAt: new Date().toISOString(),
    payload: {
      paymentId,
      merchantId: merchant.merchantId,
      channel: 'CARD',
      currency: 'USD',
      amount: '1000',
      fee: '59',
      net: '941',
      journalId: `jrn_late_${late}`,
      capturedAt: capturedAt.toISOString(),
      bookedAt: new Date().toISOString(),
    },
  };
}

describe('history pages while records arrive', () => {
  it('no record is skipped or repeated; records that arrive behind the cursor are met later, ahead of it never', async () => {
    const before = await allTransactions(system, merchant.apiKey);
    expect(before).toHaveLength(9);
    const oldest = Date.parse(before.at(-1).occurredAt);
    const seen: any[] = [];
    const arrivedBehind: string[] = [];
    // A new payment is captured while each page is read (one per page: the test's length does not
    // depend on how fast the machine is).
    let made = 0;
    const capture = async () => {
      const payment = await createPayment(system, merchant.apiKey, { amount: '5.00' });
      await confirm(system, merchant.apiKey, payment.id);
      made += 1;
    };
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const [page]: [TransactionsPage, void] = await Promise.all([transactionsPage(system, merchant.apiKey, { first: 2, after }), capture()]);
      seen.push(...page.edges.map((edge: any) => edge.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      const cursorAt = Date.parse(page.edges.at(-1)!.node.occurredAt);
      // one late record just behind the cursor (still to be read), one among the pages already read
      if (cursorAt - 1 > oldest) {
        await system.transaction.handleEvent(lateBooking(new Date(cursorAt - 1)));
        arrivedBehind.push(`pay_late_${late}`);
      }
      await system.transaction.handleEvent(lateBooking(new Date(Date.parse(seen[0].occurredAt) - 1)));
      await system.payment.flushOutbox();
    }
    expect(made).toBeGreaterThan(0);
    await recorded(system);
    const keys = seen.map(key);
    expect(new Set(seen.map((node) => node.id)).size).toBe(seen.length);
    expect(keys).toEqual([...keys].sort().reverse());
    const seenIds = new Set(seen.map((node) => node.id));
    for (const node of before) expect(seenIds.has(node.id)).toBe(true);
    const latePayments = seen.map((node) => node.payment.id).filter((id: string) => id.startsWith('pay_late_'));
    expect(latePayments.sort()).toEqual([...arrivedBehind].sort());
    expect(arrivedBehind.length).toBeGreaterThan(0);
  });

  it('records of the same instant are ordered by id and paged without skip or repeat', async () => {
    const same = await system.seedMerchant('Same instant');
    for (let i = 0; i < 5; i++) {
      const payment = await createPayment(system, same.apiKey);
      await confirm(system, same.apiKey, payment.id);
    }
    await recorded(system);
    const table = system.transaction.database.dialect === 'postgresql' ? '"transaction"."transactions"' : '"transactions"';
    await system.transaction.database
      .fork()
      .getConnection()
      .execute(`update ${table} set occurred_at = (select min(occurred_at) from ${table} where merchant_id = ?) where merchant_id = ?`, [same.merchantId, same.merchantId], 'run');
    const all = await allTransactions(system, same.apiKey);
    expect(new Set(all.map((node) => node.occurredAt)).size).toBe(1);
    const paged = await allTransactions(system, same.apiKey, undefined, 2);
    expect(paged.map((node) => node.id)).toEqual(all.map((node) => node.id).sort().reverse());
    expect(paged).toHaveLength(5);
  });
});

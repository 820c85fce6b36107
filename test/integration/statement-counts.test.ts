import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessTransport } from '../../lib/events/in-process-transport.js';
import { SHOW_STATEMENTS } from '../support/debug-settings.js';
import { trackDeliveries } from '../support/delivery-tracker.js';
import { eventually } from '../support/eventually.js';
import { expectNoErrors } from '../support/graphql.js';
import { confirm, createPayment } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';

/**
 * SQL statements, across every subgraph, for one card payment created and confirmed through the gateway and all its events
 * consumed. 87 on both databases (220 before the relay woke on commit and consumers batched); the aim is 40.
 */
const PAIR_BUDGET = 90;

const tracker = trackDeliveries(createInProcessTransport());
let system: System;
let key: string;

// the periodic jobs stay out of the window measured
const quietJobs = { SETTLEMENT_INTERVAL: '1h', EVENT_BACKFILL_INTERVAL: '1h', OUTBOX_PRUNE_INTERVAL: '1h' };

beforeAll(async () => {
  system = await startSystem({ transportFor: () => tracker.transport, env: quietJobs });
  key = (await system.seedMerchant('Statement counts')).apiKey;
});
afterAll(async () => {
  await system?.stop();
  await tracker.transport.close();
});

type Counts = Record<'payment' | 'accounting' | 'transaction' | 'analytics', number>;
const counts = (): Counts => ({
  payment: system.paymentQueries.length,
  accounting: system.accountingQueries.length,
  transaction: system.transactionQueries.length,
  analytics: system.analyticsQueries.length,
});
const minus = (after: Counts, before: Counts): Counts => ({
  payment: after.payment - before.payment,
  accounting: after.accounting - before.accounting,
  transaction: after.transaction - before.transaction,
  analytics: after.analytics - before.analytics,
});
const total = (c: Counts) => c.payment + c.accounting + c.transaction + c.analytics;

/** Waits until every event published is consumed, then for the relays' batches in progress (a flush runs after them). */
async function quiesce(): Promise<void> {
  await eventually(() => tracker.quiet(), (quiet) => quiet, { what: 'every event handled by every group' });
  await system.payment.flushOutbox();
  await system.accounting.flushOutbox();
  await eventually(() => tracker.quiet(), (quiet) => quiet, { what: 'every event handled by every group' });
}

/** Statements of one pair: counted from before the create to quiet, less what the quiesce's own empty flushes cost. */
async function statementsOfOnePair(): Promise<Counts> {
  const before = counts();
  const from = { payment: system.paymentQueries.length, accounting: system.accountingQueries.length, transaction: system.transactionQueries.length, analytics: system.analyticsQueries.length };
  const payment = await createPayment(system, key, { amount: '12.34' });
  const confirmed = expectNoErrors(await confirm(system, key, payment.id)).confirmPayment;
  expect(confirmed.status).toBe('SUCCEEDED');
  await quiesce();
  const afterPair = counts();
  await quiesce();
  const emptyQuiesce = minus(counts(), afterPair);
  // STATEMENTS_SHOW=1 prints the statements of the pair, subgraph by subgraph
  if (SHOW_STATEMENTS) {
    const queries = { payment: system.paymentQueries, accounting: system.accountingQueries, transaction: system.transactionQueries, analytics: system.analyticsQueries };
    for (const [name, list] of Object.entries(queries)) console.log(`-- ${name}\n${list.slice(from[name as keyof Counts], afterPair[name as keyof Counts]).join('\n')}`);
  }
  return minus(minus(afterPair, before), emptyQuiesce);
}

describe('statements per create+confirm card payment', () => {
  it(`stays within ${PAIR_BUDGET} across all subgraphs`, async () => {
    await statementsOfOnePair(); // warm: the merchant's first payment, caches, prepared lookups
    const measured = await statementsOfOnePair();
    console.log(`statements per pair: ${JSON.stringify(measured)}, total ${total(measured)}`);
    expect(Object.values(measured).every((n) => n >= 0)).toBe(true);
    expect(total(measured)).toBeLessThanOrEqual(PAIR_BUDGET);
  });
});

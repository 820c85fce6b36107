import { afterEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../lib/events/event.js';
import { OutboxEvent } from '../../../lib/events/outbox.js';
import type { TestDatabase } from '../../../test/support/database.js';
import { TestClock } from '../../../test/support/clock.js';
import { DAY, openTestDatabase, PaymentEvents, testLedger, type TestPayment } from '../test-kit.js';
import { DEFAULT_FEES, parseFeeSchedule } from './fees.js';
import { LedgerPosting } from './posting.js';
import { verifyLedger } from './verification.js';

const t0 = new Date('2026-11-22T10:00:00.000Z');
const a: TestPayment = { paymentId: 'pay_a', merchantId: 'mer_1', amount: 10_000n };
const b: TestPayment = { paymentId: 'pay_b', merchantId: 'mer_2', amount: 2_500n, channel: 'ALIPAY' };

function someEvents(): EventEnvelope[] {
  const events = new PaymentEvents();
  return [
    events.created(a, t0),
    events.captured(a, t0),
    events.captured(b, t0),
    events.refund(a, 'refund.created', 're_1', 1_000n, t0),
    events.refund(a, 'refund.succeeded', 're_1', 1_000n, t0),
    events.refund(b, 'refund.succeeded', 're_2', 2_500n, t0),
  ];
}

const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) await database.remove();
});

async function ledgerWith(statements?: string[]) {
  const database = await openTestDatabase(statements && ((sql) => statements.push(sql)));
  opened.push(database);
  const clock = new TestClock(t0);
  const posting = new LedgerPosting({ dialect: database.dialect, clock, fees: parseFeeSchedule(DEFAULT_FEES), settlementDelayMs: DAY });
  return { database, ledger: testLedger(database, clock), posting };
}

/** What a ledger holds, without the ids and times that differ from one run to another. */
async function contents({ database, ledger }: Awaited<ReturnType<typeof ledgerWith>>) {
  const events = await database.fork().find(OutboxEvent, {}, { orderBy: { id: 'asc' } });
  return {
    journals: (await ledger.journals()).map((j) => [j.sequence, j.type, j.paymentId, j.eventId]),
    entries: (await ledger.entries()).map((e) => [e.journalSequence, e.line, e.paymentId, e.account, e.side, e.amount]),
    balances: await ledger.balances(),
    events: events.map((e) => [e.aggregateId, e.sequence, e.type, e.payload['amount'], e.payload['net']]),
    verified: (await verifyLedger(database.fork(), database.dialect)).ok,
  };
}

describe('a batch of events in one transaction', () => {
  it('books what one transaction per event books, locking the chain once and writing its journals together', async () => {
    // as the inbox books them today: one transaction each
    const oneByOne = await ledgerWith();
    for (const event of someEvents()) await oneByOne.database.fork().transactional((tx) => oneByOne.posting.apply(tx, event));
    const statements: string[] = [];
    const batched = await ledgerWith(statements);
    const before = statements.length;
    await batched.database.fork().transactional((tx) => batched.posting.applyBatch(tx, someEvents()));
    const batch = statements.slice(before);

    const expected = await contents(oneByOne);
    expect(expected.journals).toHaveLength(4);
    expect(expected.verified).toBe(true);
    expect(await contents(batched)).toEqual(expected);
    // the chain locked once (on a new ledger: looked for, created, locked), its head written once; one write of the journals' entries
    expect(batch.filter((sql) => sql.includes('chain_heads'))).toHaveLength(4);
    expect(batch.filter((sql) => /insert into \S*ledger_entries/.test(sql))).toHaveLength(1);
    expect(batch.filter((sql) => /insert into \S*journals/.test(sql))).toHaveLength(1);
  });

  it('refuses a second capture of a payment, booking nothing of the batch', async () => {
    const { database, posting, ledger } = await ledgerWith();
    const events = new PaymentEvents();
    const batch = [events.captured(a, t0), events.captured(b, t0), events.captured(a, t0)];
    await expect(database.fork().transactional((tx) => posting.applyBatch(tx, batch))).rejects.toThrow(/pay_a was already captured/);
    expect(await ledger.journals()).toEqual([]);
    expect(await ledger.balances()).toEqual({});
  });
});

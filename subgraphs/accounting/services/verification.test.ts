import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChainHead } from '../entities/ChainHead.js';
import { DAY, openTestDatabase, PaymentEvents, testLedger, type TestPayment } from '../test-kit.js';
import { TestClock } from '../../../test/support/clock.js';
import { GENESIS_HASH } from './chain-hash.js';
import { verifyLedger } from './verification.js';

const t0 = new Date('2026-11-22T10:00:00.000Z');

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let ledger: ReturnType<typeof testLedger>;

/** Journals 1-3 capture three payments (3 entries each), 4 refunds one, 5-7 settle them (2 each): 17 entries. */
async function postSomeJournals(): Promise<void> {
  const events = new PaymentEvents();
  const payments: TestPayment[] = [1, 2, 3].map((n) => ({ paymentId: `pay_${n}`, merchantId: 'mer_1', amount: BigInt(n * 10_000) }));
  for (const payment of payments) await ledger.handle(events.captured(payment, t0));
  await ledger.handle(events.refund(payments[0]!, 'refund.succeeded', 're_1', 1_000n, t0));
  await ledger.settle(new Date(t0.getTime() + DAY));
}

const verify = (batchSize?: number) => verifyLedger(database.fork(), database.dialect, batchSize);
/** The entries of the journal with that sequence, in line order. */
const entriesOf = async (sequence: number) => (await ledger.entries()).filter((e) => e.journalSequence === sequence);

beforeEach(async () => {
  database = await openTestDatabase();
  ledger = testLedger(database, new TestClock(t0));
});
afterEach(() => database.remove());

describe('verifyLedger', () => {
  it('is ok on an empty ledger, with the genesis hash', async () => {
    expect(await verify()).toEqual({ ok: true, entriesChecked: 0, firstInvalidEntryId: null, headHash: GENESIS_HASH });
  });

  it('is ok after normal operation, in any batch size, and returns the head hash', async () => {
    await postSomeJournals();
    const head = await database.fork().findOneOrFail(ChainHead, { chain: 'ledger' });
    expect(head.sequence).toBe(7);
    for (const batchSize of [1, 2, 500]) {
      expect(await verify(batchSize)).toEqual({ ok: true, entriesChecked: 17, firstInvalidEntryId: null, headHash: head.hash });
    }
  });

  it('chains the journals: gapless sequences, each previousHash the hash before it', async () => {
    await postSomeJournals();
    const journals = await ledger.journals();
    expect(journals.map((j) => j.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(journals[0]!.previousHash).toBe(GENESIS_HASH);
    for (let i = 1; i < journals.length; i++) expect(journals[i]!.previousHash).toBe(journals[i - 1]!.hash);
  });

  describe('names the first entry of the first journal that does not verify', () => {
    beforeEach(postSomeJournals);

    it('after an amount edited in the database', async () => {
      const [first, second] = await entriesOf(2);
      await ledger.sql('update ledger_entries set amount = ? where id = ?', ['19999', second!.id]);
      const result = await verify(2);
      expect(result).toMatchObject({ ok: false, firstInvalidEntryId: first!.id, entriesChecked: 6 });
      expect(result.headHash).toBe((await ledger.journals())[0]!.hash);
    });

    it('after an entry row deleted', async () => {
      const [first, , third] = await entriesOf(3);
      await ledger.sql('delete from ledger_entries where id = ?', [third!.id]);
      expect(await verify()).toMatchObject({ ok: false, firstInvalidEntryId: first!.id });
    });

    it('after a journal row deleted (a gap in the sequence)', async () => {
      await ledger.sql("delete from journals where sequence = 4 and chain = 'ledger'");
      const [next] = await entriesOf(5);
      expect(await verify()).toMatchObject({ ok: false, firstInvalidEntryId: next!.id });
    });

    it('after the last journal deleted, with or without its entries', async () => {
      const [last] = await entriesOf(7);
      await ledger.sql('delete from journals where sequence = 7');
      expect(await verify()).toMatchObject({ ok: false, firstInvalidEntryId: last!.id, entriesChecked: 15 });
      await ledger.sql('delete from ledger_entries where journal_sequence = 7');
      expect(await verify()).toMatchObject({ ok: false, firstInvalidEntryId: null, entriesChecked: 15 });
    });

    it('after two journals swapped in the sequence', async () => {
      await ledger.sql('update journals set sequence = -1 where sequence = 2');
      await ledger.sql('update journals set sequence = 2 where sequence = 3');
      await ledger.sql('update journals set sequence = 3 where sequence = -1');
      const [firstOfThird] = await entriesOf(3);
      expect(await verify()).toMatchObject({ ok: false, firstInvalidEntryId: firstOfThird!.id });
    });

    it('after two entries of a journal swapped', async () => {
      const [first, second] = await entriesOf(1);
      await ledger.sql('update ledger_entries set line = -1 where id = ?', [first!.id]);
      await ledger.sql('update ledger_entries set line = 1 where id = ?', [second!.id]);
      await ledger.sql('update ledger_entries set line = 2 where id = ?', [first!.id]);
      expect(await verify()).toMatchObject({ ok: false, firstInvalidEntryId: second!.id, entriesChecked: 3 });
    });

    it('after the amounts of two entries of different journals swapped', async () => {
      const [, pending5] = await entriesOf(5);
      const [, pending6] = await entriesOf(6);
      const [debit5] = await entriesOf(5);
      await ledger.sql('update ledger_entries set amount = ? where id = ?', [pending6!.amount.toString(), pending5!.id]);
      await ledger.sql('update ledger_entries set amount = ? where id = ?', [pending5!.amount.toString(), pending6!.id]);
      expect(await verify()).toMatchObject({ ok: false, firstInvalidEntryId: debit5!.id });
    });

    it('after an entry moved to another payment', async () => {
      const [first] = await entriesOf(4);
      await ledger.sql("update ledger_entries set payment_id = 'pay_2' where id = ?", [first!.id]);
      expect(await verify()).toMatchObject({ ok: false, firstInvalidEntryId: first!.id });
    });
  });
});

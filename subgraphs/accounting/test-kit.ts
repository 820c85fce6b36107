import { afterEach, beforeEach } from 'vitest';
/** Helpers for the accounting unit tests: payment events shaped as the payment subgraph writes them, and a throwaway database. */
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../../lib/database.js';
import { money, subtract } from '../../lib/money.js';
import type { EventEnvelope } from '../../lib/events/event.js';
import { applyOnce } from '../../lib/events/inbox.js';
import { AccountBalance } from './entities/AccountBalance.js';
import { entities } from './entities/index.js';
import { Journal } from './entities/Journal.js';
import { LedgerEntry } from './entities/LedgerEntry.js';
import { migrations } from './migrations/index.js';
import { DEFAULT_FEES, parseFeeSchedule } from './services/fees.js';
import { LedgerPosting } from './services/posting.js';
import { settleDue } from './services/settlement.js';
import { openSqliteTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { TestClock } from '../../test/support/clock.js';
import { PaymentEvents, type EventPayment } from '../../test/support/payment-events.js';

export { PaymentEvents };

export const DAY = 86_400_000;

/** A payment of the accounting tests: its amount is always given. */
export interface TestPayment extends EventPayment {
  /** minor units */
  amount: bigint;
}

/** The accounting database on SQLite in a temporary directory, migrated; `remove` closes and deletes it. */
export function openTestDatabase(onQuery?: (sql: string) => void): Promise<TestDatabase> {
  return openSqliteTestDatabase({ name: 'accounting', entities, migrations, onQuery });
}

/** Posting, settlement and reads over a test database, wired as index.ts wires them. */
export function testLedger(database: Database, clock: Clock, settlementDelayMs = DAY) {
  const posting = new LedgerPosting({ dialect: database.dialect, clock, fees: parseFeeSchedule(DEFAULT_FEES), settlementDelayMs });
  return {
    handle: (event: EventEnvelope) => applyOnce(database.fork(), database.dialect, 'accounting', event, (tx) => posting.apply(tx, event)),
    settle: (now: Date = clock.now()) => settleDue(database.fork(), database.dialect, clock, now),
    journals: () => database.fork().find(Journal, {}, { orderBy: { sequence: 'asc' } }),
    entries: (paymentId?: string) =>
      database.fork().find(LedgerEntry, paymentId ? { paymentId } : {}, { orderBy: { journalSequence: 'asc', line: 'asc' } }),
    /** credit − debit per `account currency` */
    balances: async () => {
      const rows = await database.fork().find(AccountBalance, {});
      return Object.fromEntries(rows.map((row) => [`${row.account} ${row.currency}`, subtract(money(row.creditTotal, row.currency), money(row.debitTotal, row.currency)).minor]));
    },
    sql: (statement: string, params: unknown[] = []) => database.fork().getConnection().execute(statement, params),
  };
}

/** What each test of a ledger test file works on, read inside the test: a fresh database, a clock, the ledger and payment events. */
export interface LedgerTestBench {
  readonly database: TestDatabase;
  readonly clock: TestClock;
  readonly ledger: ReturnType<typeof testLedger>;
  readonly events: PaymentEvents;
}

/** Opens a fresh ledger (its clock at `start`) before each test of the file and removes it after; call at the top level. */
export function ledgerForEachTest(start: Date): LedgerTestBench {
  let bench: LedgerTestBench | undefined;
  beforeEach(async () => {
    const database = await openTestDatabase();
    const clock = new TestClock(start);
    bench = { database, clock, ledger: testLedger(database, clock), events: new PaymentEvents() };
  });
  afterEach(() => bench?.database.remove());
  const current = (): LedgerTestBench => {
    if (!bench) throw new Error('the ledger opens in beforeEach');
    return bench;
  };
  return {
    get database() {
      return current().database;
    },
    get clock() {
      return current().clock;
    },
    get ledger() {
      return current().ledger;
    },
    get events() {
      return current().events;
    },
  };
}

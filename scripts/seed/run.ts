import { openDatabase, type Database } from '../../lib/database.js';
import { PaymentFact } from '../../subgraphs/analytics/entities/PaymentFact.js';
import { rebuildRollups } from '../../subgraphs/analytics/services/bulk-load.js';
import { Merchant } from '../../subgraphs/payment/entities/Merchant.js';
import { Payment } from '../../subgraphs/payment/entities/Payment.js';
import { Refund } from '../../subgraphs/payment/entities/Refund.js';
import { RefundBooking } from '../../subgraphs/transaction/entities/RefundBooking.js';
import { TransactionRecord } from '../../subgraphs/transaction/entities/TransactionRecord.js';
import { subgraphModules } from '../../system/subgraphs.js';
import { BulkWriter } from './bulk-writer.js';
import { planHours } from './calendar.js';
import type { SeedConfig } from './config.js';
import { issueKeys, writeKeys, type SeededKeys } from './keys.js';
import { generateMerchants, type MerchantProfile, type Region } from './merchants.js';
import type { SeedOptions } from './options.js';
import { livePayment } from './payment-lives.js';
import { progressBar } from './progress.js';
import { Random, Weighted } from './random.js';
import { factRow, paymentRow, refundBookingRow, refundRow, transactionRow, type Movement } from './rows.js';
import { SeedTradeNumbers } from './trade-numbers.js';

const HOUR_MS = 3_600_000;
/** payments generated between two writes */
const BATCH = 10_000;

/** Where the seed tells how it goes: lines, and a progress bar on stderr if asked for. */
export interface SeedReport {
  log: (line: string) => void;
  progress: boolean;
}
const quiet: SeedReport = { log: () => undefined, progress: false };

export interface SeedSummary {
  from: Date;
  to: Date;
  merchants: number;
  payments: number;
  refunds: number;
  transactions: number;
  rollupRows: { hourly: number; daily: number };
  keys: SeededKeys;
  keysFile: string;
  seconds: number;
}

/** The subgraphs the seed fills, opened (and migrated) as the services open them. Accounting's ledger is not seeded. */
async function openSeededDatabases(config: SeedConfig) {
  const open = async (name: 'payment' | 'transaction' | 'analytics') =>
    openDatabase({ name, databaseUrl: config.databaseUrl, dataDir: config.dataDir, ...(await subgraphModules[name]()) });
  const payment = await open('payment');
  const transaction = await open('transaction');
  const analytics = await open('analytics');
  return { payment, transaction, analytics, close: async () => Promise.all([payment.close(), transaction.close(), analytics.close()]) };
}

/** Table statistics for the query planners, which would otherwise plan over a million rows as if they were a few. */
async function analyze(database: Database, tables: string[]): Promise<void> {
  const schema = database.orm.config.get('schema');
  const em = database.fork();
  if (database.dialect === 'postgresql') for (const table of tables) await em.execute(`analyze "${schema}"."${table}"`, [], 'run');
  else await em.execute('analyze', [], 'run');
}

/**
 * Fills the payment, transaction and analytics databases with `options.payments` payments of
 * `options.merchants` merchants over the `options.months` months before `options.end`, the same
 * ones for the same options: the payments and their refunds, their transaction records (fees from
 * accounting's schedule, trade numbers per day), analytics' facts, and then analytics' rollups
 * rebuilt from the facts. Issues a MERCHANT key per merchant and a platform ANALYST key, written to
 * DATA_DIR/seed-keys.json. Run it with the services stopped; each batch commits on its own.
 */
export async function seed(options: SeedOptions, config: SeedConfig, report: SeedReport = quiet): Promise<SeedSummary> {
  const { log } = report;
  const started = performance.now();
  const random = new Random(options.seed);
  const end = options.end;
  const start = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - options.months, end.getUTCDate(), end.getUTCHours()));
  const merchants = generateMerchants(random, options.merchants, start);
  const hours = planHours(random, merchants, start, end, options.payments);
  const byRegion = new Map<Region, Weighted<MerchantProfile>>();
  for (const region of new Set(merchants.map((m) => m.region))) {
    const own = merchants.filter((m) => m.region === region);
    byRegion.set(region, new Weighted(own, own.map((m) => m.size)));
  }

  const databases = await openSeededDatabases(config);
  try {
    if ((await databases.payment.fork().count(Merchant, { id: merchants[0]!.id })) > 0) {
      throw new Error(`this database already holds the data of --seed ${options.seed} --end ${end.toISOString()}: seed another database, or with another seed`);
    }
    await databases.payment.fork().insertMany(Merchant, merchants.map(({ id, name, createdAt }) => ({ id, name, createdAt })));
    const keys = await issueKeys(databases.payment, merchants);
    const tradeNumbers = await SeedTradeNumbers.load(databases.transaction);
    log(`seeding ${options.payments.toLocaleString('en')} payments of ${merchants.length} merchants, ${start.toISOString()} to ${end.toISOString()} (seed ${options.seed})`);

    const writers = {
      payment: await BulkWriter.open(databases.payment),
      transaction: await BulkWriter.open(databases.transaction),
      analytics: await BulkWriter.open(databases.analytics),
    };
    const counts = { payments: 0, refunds: 0, transactions: 0 };
    // Writing a batch overlaps generating the next (on PostgreSQL; SQLite's driver writes synchronously).
    let writing: Promise<unknown> = Promise.resolve();
    try {
      // Movements are recorded at their time, in time order: a refund days after its payment was created.
      const pending = new Map<number, Movement[]>();
      const schedule = (movement: Movement) => {
        const hour = Math.floor((movement.at.getTime() - start.getTime()) / HOUR_MS);
        const list = pending.get(hour);
        if (list) list.push(movement);
        else pending.set(hour, [movement]);
      };
      const write = async () => {
        await writing;
        writing = Promise.all([writers.payment.flush(), writers.transaction.flush(), writers.analytics.flush()]);
        writing.catch(() => undefined);
      };
      const progress = report.progress ? progressBar(options.payments, 'payments') : null;
      let sinceWrite = 0;
      for (let h = 0; h < hours.length; h++) {
        const hour = hours[h]!;
        const offsets = Array.from({ length: hour.payments }, () => random.below(HOUR_MS)).sort((a, b) => a - b);
        for (const offset of offsets) {
          const merchant = byRegion.get(hour.regions.draw(random))!.draw(random);
          const life = livePayment(random, merchant, new Date(hour.start + offset), end);
          writers.payment.add(Payment, paymentRow(life));
          writers.analytics.add(PaymentFact, factRow(config.fees, life));
          if (life.capturedAt) schedule({ at: life.capturedAt, life, refund: null });
          for (const refund of life.refunds) schedule({ at: refund.createdAt, life, refund });
        }
        for (const movement of (pending.get(h) ?? []).sort((a, b) => a.at.getTime() - b.at.getTime())) {
          const recordedAt = new Date(movement.at.getTime() + random.between(100, 1_500));
          writers.transaction.add(TransactionRecord, transactionRow(config.fees, movement, random.id('txn', recordedAt.getTime()), tradeNumbers.next(movement.at), recordedAt));
          if (movement.refund) {
            writers.payment.add(Refund, refundRow(movement.life, movement.refund));
            writers.transaction.add(RefundBooking, refundBookingRow(movement.life, movement.refund));
            counts.refunds += 1;
          }
          counts.transactions += 1;
        }
        pending.delete(h);
        counts.payments += hour.payments;
        sinceWrite += hour.payments;
        if (sinceWrite >= BATCH) {
          sinceWrite = 0;
          await write();
        }
        progress?.update(counts.payments);
      }
      await write();
      await writing;
      progress?.finish();
    } finally {
      // a batch still being written keeps its connection until it ends
      await writing.catch(() => undefined);
      await writers.payment.close();
      await writers.transaction.close();
      await writers.analytics.close();
    }
    await tradeNumbers.save(databases.transaction);
    log('building analytics rollups from the facts …');
    const rollupRows = await rebuildRollups(databases.analytics.fork(), databases.analytics.dialect);
    log('analyzing tables …');
    await analyze(databases.payment, ['merchants', 'api_keys', 'payments', 'refunds']);
    await analyze(databases.transaction, ['transactions', 'refund_bookings', 'trade_no_counters']);
    await analyze(databases.analytics, ['payment_facts', 'hourly_rollups', 'daily_rollups']);
    const keysFile = writeKeys(config.dataDir, keys, { seed: options.seed, from: start.toISOString(), to: end.toISOString() });
    return { from: start, to: end, merchants: merchants.length, ...counts, rollupRows, keys, keysFile, seconds: (performance.now() - started) / 1000 };
  } finally {
    await databases.close();
  }
}

/**
 * `npm run bench -- history-metrics`: on PostgreSQL (a throwaway cluster) and on the embedded SQLite
 * default, seeds BENCH_PAYMENTS payments (default a million) with `npm run seed`'s code, starts the
 * payment, transaction and analytics subgraphs and the gateway as their own processes, then times,
 * one request at a time and taking turns with its direct SQL:
 *  (a) a filtered history page through the gateway as a MERCHANT, next to the same page in SQL;
 *  (b) metrics per DAY, CHANNEL and CURRENCY over 90 days as a platform ANALYST, next to the direct
 *      SQL GROUP BY over the raw payments table (both answers are checked equal first).
 * BENCH_DATABASES=postgresql,sqlite chooses the databases; BENCH_ITERATIONS the timed rounds (100).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Dialect } from '../lib/database.js';
import { loadSeedConfig } from '../scripts/seed/config.js';
import { seed } from '../scripts/seed/run.js';
import { subgraphModules } from '../system/subgraphs.js';
import { startPostgresCluster } from '../tools/postgres-cluster.js';
import { startRedisServer } from '../tools/redis-server.js';
import { gql } from './gql.js';
import { DAILY_METRICS, dailyMetricsSql, HISTORY_PAGE, historyPageSql, METRICS_MEASURES, sumsOfMetrics, type HistoryFilter } from './history-metrics-queries.js';
import { measureInTurns, type Latency } from './latency.js';
import { startProcessSystem } from '../system/processes.js';
import { embeddedServiceEnv, processOptions, serviceEnv } from './service-env.js';

const payments = Number(process.env['BENCH_PAYMENTS'] ?? 1_000_000);
const iterations = Number(process.env['BENCH_ITERATIONS'] ?? 100);
const dialects = (process.env['BENCH_DATABASES'] ?? 'postgresql,sqlite').split(',') as Dialect[];
const DAY = 86_400_000;
/** `a` mod `n`, never negative (warm-up rounds are numbered below zero) */
const mod = (a: number, n: number) => ((a % n) + n) % n;
/** the seed's period ends at this UTC midnight: metrics ranges are whole days, as an analyst asks them */
const END = new Date(Math.floor(Date.now() / DAY) * DAY);

interface Figures {
  dialect: Dialect;
  seedSeconds: number;
  history: { gateway: Latency; sql: Latency };
  metrics: { gateway: Latency; sql: Latency; groups: number };
}

async function benchOn(dialect: Dialect): Promise<Figures> {
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'paygraph-bench-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    let databaseUrl: string | undefined;
    if (dialect === 'postgresql') {
      const cluster = await startPostgresCluster();
      cleanup.push(() => cluster.stop());
      databaseUrl = await cluster.createDatabase('paygraph');
    }
    console.log(`\n== ${dialect}: seeding ${payments.toLocaleString('en')} payments …`);
    const summary = await seed(
      { payments, merchants: 200, months: 6, seed: 42, end: END },
      loadSeedConfig({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir }),
      { log: (line) => console.log(line), progress: true },
    );
    console.log(`seeded in ${summary.seconds.toFixed(1)} s: ${summary.transactions.toLocaleString('en')} transaction records, rollups ${summary.rollupRows.hourly.toLocaleString('en')} hourly and ${summary.rollupRows.daily.toLocaleString('en')} daily rows`);

    const redis = await startRedisServer();
    cleanup.push(() => redis.stop());
    const env = { ...(databaseUrl ? serviceEnv(databaseUrl) : embeddedServiceEnv(dataDir)), REDIS_URL: redis.url };
    // the payment, transaction and analytics subgraphs and the gateway, each its own process; Redis carries their (idle) events
    const system = await startProcessSystem({ ...processOptions, env, services: ['payment', 'transaction', 'analytics', 'gateway'] });
    cleanup.push(system.stop);
    const url = `${system.processes.gateway!.url}/graphql`;
    const open = async (name: 'payment' | 'transaction') => openDatabase({ name, databaseUrl, dataDir, ...(await subgraphModules[name]()) });
    const payment = await open('payment');
    const transaction = await open('transaction');
    cleanup.push(async () => void (await Promise.all([payment.close(), transaction.close()])));

    // (a) the ten largest merchants' channels, card and wallet; mostly settled records, sometimes failed refunds; windows of 30 days
    const largest = summary.keys.merchants.slice(0, 10);
    const channels = await transaction
      .fork()
      .execute<{ merchant_id: string; channel: string }[]>(
        `select distinct merchant_id, channel from ${dialect === 'postgresql' ? '"transaction".' : ''}"transactions" where merchant_id in (${largest.map(() => '?').join(', ')}) order by 1, 2`,
        largest.map((m) => m.merchantId),
      );
    const keyOf = new Map(largest.map((m) => [m.merchantId, m.apiKey]));
    const history = (round: number): HistoryFilter & { apiKey: string } => {
      const { merchant_id: merchantId, channel } = channels[mod(round, channels.length)]!;
      const occurredBefore = new Date(END.getTime() - (mod(round * 7, 120) + 1) * DAY);
      return { apiKey: keyOf.get(merchantId)!, merchantId, channel, status: round % 5 === 4 ? 'FAILED' : 'SUCCEEDED', occurredAfter: new Date(occurredBefore.getTime() - 30 * DAY), occurredBefore };
    };
    console.log(`(a) history pages of ${channels.length} merchant channels, ${iterations} rounds …`);
    const historyFigures = await measureInTurns(iterations, 10, {
      gateway: async (round) => {
        const { apiKey, channel, status, occurredAfter, occurredBefore } = history(round);
        await gql(url, apiKey, HISTORY_PAGE, { filter: { channel: [channel], status: [status], occurredAfter: occurredAfter.toISOString(), occurredBefore: occurredBefore.toISOString() } });
      },
      sql: async (round) => void (await historyPageSql(transaction.fork(), dialect, history(round))),
    });

    // (b) 90 whole days ending up to a month before the end of the data
    const range = (round: number) => {
      const to = new Date(END.getTime() - mod(round, 30) * DAY);
      return { from: new Date(to.getTime() - 90 * DAY), to };
    };
    const metricsOf = async (round: number) => {
      const { from, to } = range(round);
      const query = { measures: METRICS_MEASURES, dimensions: ['CHANNEL', 'CURRENCY'], granularity: 'DAY', from: from.toISOString(), to: to.toISOString() };
      return (await gql(url, summary.keys.analystKey, DAILY_METRICS, { query })).metrics.rows;
    };
    const checked = sumsOfMetrics(await metricsOf(0));
    const direct = await dailyMetricsSql(payment.fork(), dialect, range(0).from, range(0).to);
    if (JSON.stringify(checked, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) !== JSON.stringify(direct, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) {
      throw new Error(`metrics and the direct SQL disagree over ${range(0).from.toISOString()} to ${range(0).to.toISOString()}`);
    }
    console.log(`(b) metrics: ${checked.length} day × channel × currency groups, equal to the direct SQL; ${iterations} rounds …`);
    const metricsFigures = await measureInTurns(iterations, 5, {
      gateway: async (round) => void (await metricsOf(round)),
      sql: async (round) => void (await dailyMetricsSql(payment.fork(), dialect, range(round).from, range(round).to)),
    });
    return { dialect, seedSeconds: summary.seconds, history: historyFigures, metrics: { ...metricsFigures, groups: checked.length } };
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}

function print(all: Figures[]): void {
  const ms = (value: number) => value.toFixed(1).padStart(8);
  console.log(`\nhistory and metrics over ${payments.toLocaleString('en')} seeded payments (6 months, 200 merchants), one request at a time, ${iterations} rounds`);
  console.log(`${'database'.padEnd(11)}${'measurement'.padEnd(66)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}`);
  for (const f of all) {
    const line = (what: string, l: Latency) => console.log(`${f.dialect.padEnd(11)}${what.padEnd(66)}${ms(l.p50)}${ms(l.p99)}`);
    line('(a) history page, gateway, MERCHANT (channel, status, 30 days)', f.history.gateway);
    line('(a) history page, direct SQL on the transactions table', f.history.sql);
    line(`(b) metrics DAY × CHANNEL × CURRENCY, 90 days, gateway, ANALYST`, f.metrics.gateway);
    line('(b) direct SQL GROUP BY over the payments table', f.metrics.sql);
  }
  console.log('');
  for (const f of all) {
    console.log(
      `${f.dialect.padEnd(11)}metrics: direct SQL / gateway p50 = ${(f.metrics.sql.p50 / f.metrics.gateway.p50).toFixed(1)}×, p99 = ${(f.metrics.sql.p99 / f.metrics.gateway.p99).toFixed(1)}× (${f.metrics.groups} groups); ` +
        `history: gateway / direct SQL p50 = ${(f.history.gateway.p50 / f.history.sql.p50).toFixed(1)}×; seeded in ${f.seedSeconds.toFixed(0)} s`,
    );
  }
}

export async function benchHistoryMetrics(): Promise<void> {
  const all: Figures[] = [];
  for (const dialect of dialects) {
    if (dialect !== 'postgresql' && dialect !== 'sqlite') throw new Error(`BENCH_DATABASES: unknown database ${String(dialect)}`);
    all.push(await benchOn(dialect));
  }
  print(all);
}

/**
 * Create-and-confirm card payments per second through the gateway on PostgreSQL, and pgbench's
 * TPC-B-like TPS on the same server in the same run; prints both and their ratio.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { findPostgresBin, startPostgresCluster } from '../tools/postgres-cluster.js';
import { redisServerAvailable, startRedisServer } from '../tools/redis-server.js';
import { accountingLag } from './accounting-lag.js';
import { gql } from './gql.js';
import { processCpuMs } from './cpu.js';
import { runLoad, percentile } from './load.js';
import { pgbenchTps } from './pgbench.js';
import { startProcessSystem, type ProcessSystem } from '../system/processes.js';
import { processOptions, serviceEnv } from './service-env.js';
import { logStatementsOf, STATEMENT_LOG_SETTINGS, statementsBetween } from './statement-log.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 15);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 32);

const createPayment = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id status } }`;
const confirmPayment = `mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { id status amountReceived { amount } } }`;

export async function benchPayments(): Promise<void> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL binaries are needed for this benchmark');
  const cluster = await startPostgresCluster({ settings: STATEMENT_LOG_SETTINGS });
  let system: ProcessSystem | undefined;
  const stops: (() => Promise<void>)[] = [];
  try {
    const pgbenchUrl = await cluster.createDatabase('pgbench');
    console.log(`pgbench: TPC-B-like, scale 10, ${concurrency} clients, ${seconds}s …`);
    const tps = pgbenchTps(bin, pgbenchUrl, seconds, concurrency);

    const env = serviceEnv(await cluster.createDatabase('paygraph'));
    // every statement of the system's database is logged, by subgraph (pgbench's database is not)
    const statements = await logStatementsOf(cluster, env.DATABASE_URL);
    // With redis-server here, events flow to an accounting process through Redis and its lag is measured.
    const redis = redisServerAvailable() && process.env['BENCH_ACCOUNTING'] !== 'off' ? await startRedisServer() : null;
    if (redis) stops.push(redis.stop);
    const eventsEnv: Record<string, string> = redis ? { REDIS_URL: redis.url } : {};
    system = await startProcessSystem({
      ...processOptions,
      env,
      envOf: { payment: eventsEnv, accounting: eventsEnv },
      services: redis ? ['card-simulator', 'payment', 'accounting', 'gateway'] : ['card-simulator', 'payment', 'gateway'],
    });
    const { 'card-simulator': simulator, payment, accounting, gateway } = system.processes;
    if (!simulator || !payment || !gateway) throw new Error('the system did not start');
    const lag = accounting ? accountingLag(env.DATABASE_URL) : null;
    const url = `${gateway.url}/graphql`;
    const merchant = await gql(url, env.ADMIN_API_KEY, 'mutation { createMerchant(input: { name: "bench" }) { apiKey } }', {});
    const key: string = merchant.createMerchant.apiKey;
    const run = randomBytes(4).toString('hex');
    const once = async (i: number) => {
      const created = await gql(url, key, createPayment, {
        input: { amount: { amount: '10.00', currency: 'USD' }, channel: 'CARD', idempotencyKey: `c-${run}-${i}` },
      });
      const confirmed = await gql(url, key, confirmPayment, {
        input: {
          paymentId: created.createPayment.id,
          card: { number: '4242424242424242', expMonth: 12, expYear: 2035, cvc: '123' },
          idempotencyKey: `f-${run}-${i}`,
        },
      });
      if (confirmed.confirmPayment.status !== 'SUCCEEDED') throw new Error('not succeeded');
    };
    console.log('warming up …');
    await runLoad(3, concurrency, (i) => once(1_000_000 + i));
    console.log(`create+confirm through the gateway, ${concurrency} concurrent clients, ${seconds}s …`);
    const cpu = () => ({
      gateway: processCpuMs(gateway.child.pid),
      payment: processCpuMs(payment.child.pid),
      simulator: processCpuMs(simulator.child.pid),
      ...(accounting ? { accounting: processCpuMs(accounting.child.pid) } : {}),
      load: processCpuMs(process.pid),
    });
    const cpuBefore = cpu();
    const statementsBefore = statements.counts();
    const sampling = lag?.sample(1000);
    const result = await runLoad(seconds, concurrency, once);
    const cpuAfter = cpu();
    const lagReport = sampling ? await sampling.stop() : null;
    const perSecond = result.completed / result.seconds;
    console.log('');
    console.log(`pgbench TPC-B-like           ${tps.toFixed(1)} TPS`);
    console.log(`create+confirm card payments ${perSecond.toFixed(1)} /s   (${result.completed} ok, ${result.failed} failed; p50 ${percentile(result.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(result.latenciesMs, 99).toFixed(1)} ms)`);
    console.log(`ratio                        ${(perSecond / tps).toFixed(3)}   (load ${loadavg().map((n) => n.toFixed(2)).join(' ')})`);
    const perPair = (Object.keys(cpuAfter) as (keyof typeof cpuAfter)[]).map(
      (name) => `${name} ${(((cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0)) / Math.max(1, result.completed)).toFixed(1)}`,
    );
    console.log(`CPU ms per pair              ${perPair.join(', ')}`);
    // after the drain (lagReport waits for accounting to catch up), so the pairs' events are all consumed
    const ran = statementsBetween(statementsBefore, statements.counts());
    const perPairSql = (accounting ? ['payment', 'accounting'] : ['payment']).map((name) => `${name} ${((ran[name] ?? 0) / Math.max(1, result.completed)).toFixed(1)}`);
    console.log(`SQL statements per pair      ${perPairSql.join(', ')}`);
    if (lagReport) console.log(lagReport);
    else console.log('accounting lag               not measured (no redis-server, or BENCH_ACCOUNTING=off)');
    await lag?.close();
  } finally {
    await system?.stop();
    for (const stop of stops) await stop();
    await cluster.stop();
  }
}

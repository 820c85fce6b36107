/**
 * `npm run bench -- gateways`: our gateway beside stock @apollo/gateway (and Hive Gateway, when
 * HIVE_GATEWAY_DIR names an installation) over the same running subgraphs on PostgreSQL, each gateway
 * its own process. Rounds interleave the gateways (A B, then B A, …; BENCH_SECONDS each) with
 * BENCH_CONCURRENCY connections; it prints req/s, p50, p99 and CPU ms per request of each gateway
 * process, the ratios, one client's latency, and the load average.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgresBin, startPostgresCluster } from '../tools/postgres-cluster.js';
import { redisServerAvailable, startRedisServer } from '../tools/redis-server.js';
import { startProcessSystem, type ProcessSystem } from '../system/processes.js';
import { startGatewayProcess, type GatewayProcess } from './gateways/gateway-process.js';
import { processCpuMs } from './cpu.js';
import { gql } from './gql.js';
import { measureInTurns } from './latency.js';
import { percentile, runLoad } from './load.js';
import { processOptions, serviceEnv } from './service-env.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 32);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const latencyIterations = Number(process.env['BENCH_LATENCY_ITERATIONS'] ?? 200);
const paymentCount = 25;

const queries = {
  viewer: 'query Viewer { viewer { role merchant { id name } } }',
  page: `query Page { payments(first: 20) { edges { node { id status amount { amount currency }
    fee { amount currency } net { amount currency }
    ledgerEntries { id account side amount { amount currency } }
    transactions { id type direction amount { amount currency } } } } } }`,
};
type QueryName = keyof typeof queries;

interface Target {
  name: string;
  url: string;
  pid: number | undefined;
}

interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  gc: { count: number; totalMs: number; maxMs: number };
}

interface Tally {
  completed: number;
  failed: number;
  seconds: number;
  cpuMs: number;
  latenciesMs: number[];
  loop: LoopDelay[];
}

// every gateway process reports its event-loop delay and GC pauses on SIGUSR2 (bench/gateways/loop-delay.mjs)
const loopDelayDir = mkdtempSync(join(tmpdir(), 'gateways-loop-'));
const loopDelayEnv = {
  LOOP_DELAY_DIR: loopDelayDir,
  NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import=${fileURLToPath(new URL('./gateways/loop-delay.mjs', import.meta.url))}`.trim(),
};

async function loopDelaySince(pid: number | undefined): Promise<LoopDelay | null> {
  if (pid === undefined) return null;
  const file = join(loopDelayDir, `${pid}.jsonl`);
  const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
  const before = lines().length;
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 10_000;
  while (lines().length === before) {
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return JSON.parse(lines().at(-1)!) as LoopDelay;
}

const loads = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

async function seed(url: string, adminKey: string): Promise<string> {
  const merchant = await gql(url, adminKey, 'mutation { createMerchant(input: { name: "bench gateways" }) { apiKey } }', {});
  const key: string = merchant.createMerchant.apiKey;
  const run = randomBytes(4).toString('hex');
  for (let i = 0; i < paymentCount; i++) {
    const created = await gql(url, key, 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }', {
      input: { amount: { amount: `${10 + i}.00`, currency: 'USD' }, channel: 'CARD', idempotencyKey: `c-${run}-${i}` },
    });
    await gql(url, key, 'mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { id status } }', {
      input: { paymentId: created.createPayment.id, card: { number: '4242424242424242', expMonth: 12, expYear: 2035, cvc: '123' }, idempotencyKey: `f-${run}-${i}` },
    });
  }
  // the page is complete once accounting and transaction have consumed every payment's events
  const deadline = Date.now() + 120_000;
  for (;;) {
    const page = await gql(url, key, queries.page, {});
    const nodes = page.payments.edges.map((edge: { node: unknown }) => edge.node) as { fee: unknown; ledgerEntries: unknown[]; transactions: unknown[] }[];
    if (nodes.length === 20 && nodes.every((node) => node.fee !== null && node.ledgerEntries.length > 0 && node.transactions.length > 0)) return key;
    if (Date.now() > deadline) throw new Error('the seeded payments did not reach accounting and transaction in time');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function measure(target: Target, key: string, query: string): Promise<Tally> {
  await loopDelaySince(target.pid);
  const cpuBefore = processCpuMs(target.pid);
  const result = await runLoad(seconds, concurrency, () => gql(target.url, key, query, {}));
  const cpuMs = processCpuMs(target.pid) - cpuBefore;
  const loop = await loopDelaySince(target.pid);
  return { ...result, cpuMs, loop: loop ? [loop] : [] };
}

function report(query: QueryName, targets: Target[], tallies: Map<string, Tally>) {
  console.log(`\n${query}: ${concurrency} connections, ${rounds} interleaved rounds of ${seconds} s per gateway`);
  console.log('gateway   req/s     p50 ms   p99 ms   CPU ms/req   failed   event-loop delay p99 / max ms   GC ms/req, longest pause ms');
  const rate = (name: string) => {
    const tally = tallies.get(name)!;
    return tally.completed / tally.seconds;
  };
  for (const target of targets) {
    const tally = tallies.get(target.name)!;
    const loopP99 = Math.max(0, ...tally.loop.map((one) => one.p99));
    const loopMax = Math.max(0, ...tally.loop.map((one) => one.max));
    const gcMs = tally.loop.reduce((sum, one) => sum + one.gc.totalMs, 0);
    const gcMax = Math.max(0, ...tally.loop.map((one) => one.gc.maxMs));
    console.log(
      `${target.name.padEnd(9)} ${rate(target.name).toFixed(1).padStart(7)}   ${percentile(tally.latenciesMs, 50).toFixed(1).padStart(6)}   ${percentile(tally.latenciesMs, 99).toFixed(1).padStart(6)}   ${(tally.cpuMs / Math.max(1, tally.completed)).toFixed(2).padStart(10)}   ${String(tally.failed).padStart(6)}   ${loopP99.toFixed(1).padStart(12)} / ${loopMax.toFixed(1).padEnd(16)}  ${(gcMs / Math.max(1, tally.completed)).toFixed(3)}, ${gcMax.toFixed(1)}`,
    );
  }
  const ratios = targets.filter((target) => target.name !== 'ours').map((target) => `ours/${target.name} ${(rate('ours') / rate(target.name)).toFixed(2)}`);
  console.log(`ratio     ${ratios.join(', ')}`);
}

export async function benchGateways(): Promise<void> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL binaries are needed for this benchmark');
  if (!redisServerAvailable()) throw new Error('redis-server is needed: the subgraph processes exchange events through it');
  const cluster = await startPostgresCluster();
  const redis = await startRedisServer();
  let system: ProcessSystem | undefined;
  const others: GatewayProcess[] = [];
  try {
    const env = serviceEnv(await cluster.createDatabase('paygraph'));
    const events = { REDIS_URL: redis.url };
    system = await startProcessSystem({
      ...processOptions,
      env,
      envOf: { payment: events, accounting: events, transaction: events, gateway: loopDelayEnv },
      services: ['card-simulator', 'payment', 'accounting', 'transaction', 'gateway'],
    });
    const { payment, accounting, transaction, gateway } = system.processes;
    if (!payment || !accounting || !transaction || !gateway) throw new Error('the system did not start');
    const ours = `${gateway.url}/graphql`;
    console.log(`seeding ${paymentCount} card payments …`);
    const key = await seed(ours, env.ADMIN_API_KEY);
    const gatewayEnv = {
      ...env,
      PAYMENT_SUBGRAPH_URL: payment.url,
      ACCOUNTING_SUBGRAPH_URL: accounting.url,
      TRANSACTION_SUBGRAPH_URL: transaction.url,
      ANALYTICS_SUBGRAPH_URL: payment.url,
      ...loopDelayEnv,
    };
    const stock = await startGatewayProcess('bench/gateways/stock-gateway.ts', gatewayEnv, processOptions);
    others.push(stock);
    const targets: Target[] = [
      { name: 'ours', url: ours, pid: gateway.child.pid },
      { name: 'stock', url: stock.url, pid: stock.child.pid },
    ];
    if (process.env['HIVE_GATEWAY_DIR']) {
      const hive = await startGatewayProcess('bench/gateways/hive-gateway.ts', gatewayEnv, processOptions);
      others.push(hive);
      targets.push({ name: 'hive', url: hive.url, pid: hive.child.pid });
    }
    for (const [name, query] of Object.entries(queries)) {
      const answers = await Promise.all(targets.map((target) => gql(target.url, key, query, {})));
      if (answers.some((answer) => JSON.stringify(answer) !== JSON.stringify(answers[0]))) throw new Error(`the gateways answer ${name} differently`);
    }
    console.log(`gateways: ${targets.map((target) => target.name).join(', ')} (the same answers); load average ${loads()}`);
    console.log('warming up …');
    for (const target of targets) for (const query of Object.values(queries)) await runLoad(2, concurrency, () => gql(target.url, key, query, {}));

    for (const [query, document] of Object.entries(queries) as [QueryName, string][]) {
      const tallies = new Map<string, Tally>(targets.map((target) => [target.name, { completed: 0, failed: 0, seconds: 0, cpuMs: 0, latenciesMs: [], loop: [] }]));
      const loadSeen: string[] = [];
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) {
          const one = await measure(target, key, document);
          const tally = tallies.get(target.name)!;
          tally.completed += one.completed;
          tally.failed += one.failed;
          tally.seconds += one.seconds;
          tally.cpuMs += one.cpuMs;
          tally.latenciesMs.push(...one.latenciesMs);
          tally.loop.push(...one.loop);
        }
        loadSeen.push(loads());
      }
      report(query, targets, tallies);
      console.log(`load average after each round: ${loadSeen.join(' | ')}`);
    }

    console.log(`\none client, ${latencyIterations} requests per gateway and query, taking turns:`);
    for (const [query, document] of Object.entries(queries) as [QueryName, string][]) {
      const cases = Object.fromEntries(targets.map((target) => [target.name, () => gql(target.url, key, document, {}).then(() => undefined)]));
      const latency = await measureInTurns(latencyIterations, 20, cases);
      console.log(`${query.padEnd(7)} ${targets.map((target) => `${target.name} p50 ${latency[target.name]!.p50.toFixed(1)} p99 ${latency[target.name]!.p99.toFixed(1)} ms`).join('   ')}`);
    }
    console.log(`load average ${loads()}`);
  } finally {
    for (const other of others) await other.stop();
    await system?.stop();
    await redis.stop();
    await cluster.stop();
    rmSync(loopDelayDir, { recursive: true, force: true });
  }
}

/**
 * Live payment status to many subscribers on one gateway: N graphql-ws subscribers (default 1,000
 * and 10,000), each selecting a field of the accounting subgraph, while payments change status at a
 * steady rate. Prints commit-to-receipt latency (p50, p99), events delivered per second, the gateway's
 * memory per subscription, and accounting entity fetches per event (deduplication).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { startPostgresCluster } from '../tools/postgres-cluster.js';
import { redisServerAvailable, startRedisServer } from '../tools/redis-server.js';
import { startCountingProxy } from '../tools/counting-proxy.js';
import { processCpuMs } from './cpu.js';
import { gql } from './gql.js';
import { startProcessSystem, type ProcessSystem } from '../system/processes.js';
import { processOptions, serviceEnv } from './service-env.js';
import { startSubscribers } from './ws-subscribers.js';

const fleetSizes = (process.env['BENCH_SUBSCRIBERS'] ?? '1000,10000').split(',').map(Number);
const paymentsPerSecond = Number(process.env['BENCH_PAYMENT_RATE'] ?? 2);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 20);
const QUERY = 'subscription { paymentStatusChanged { cursor status occurredAt payment { fee { amount } } } }';

function rssBytes(pid: number | undefined): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

export async function benchSubscriptions(): Promise<void> {
  if (!redisServerAvailable()) throw new Error('redis-server is needed: the gateway hears payment events through Redis when it runs alone');
  const cluster = await startPostgresCluster();
  const redis = await startRedisServer();
  let system: ProcessSystem | undefined;
  const proxy = { close: async () => undefined } as Awaited<ReturnType<typeof startCountingProxy>>;
  try {
    const env = { ...serviceEnv(await cluster.createDatabase('paygraph')), REDIS_URL: redis.url };
    system = await startProcessSystem({
      ...processOptions,
      env,
      services: ['card-simulator', 'payment', 'accounting', 'gateway'],
      envOf: { gateway: { MAX_SUBSCRIPTIONS_PER_KEY: '100000' } },
      reachVia: {
        accounting: async (url) => {
          Object.assign(proxy, await startCountingProxy(url));
          return proxy.url;
        },
      },
    });
    const { gateway } = system.processes;
    if (!gateway) throw new Error('the system did not start');
    const url = `${gateway.url}/graphql`;
    const merchant = await gql(url, env.ADMIN_API_KEY, 'mutation { createMerchant(input: { name: "bench" }) { apiKey } }', {});
    const key: string = merchant.createMerchant.apiKey;
    const run = randomBytes(4).toString('hex');
    let counter = 0;
    const pay = async () => {
      const i = counter++;
      const created = await gql(url, key, 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }', {
        input: { amount: { amount: '10.00', currency: 'USD' }, channel: 'CARD', idempotencyKey: `c-${run}-${i}` },
      });
      await gql(url, key, 'mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { status } }', {
        input: { paymentId: created.createPayment.id, card: { number: '4242424242424242', expMonth: 12, expYear: 2035, cvc: '123' }, idempotencyKey: `f-${run}-${i}` },
      });
    };
    const wsUrl = `${gateway.url.replace(/^http/, 'ws')}/graphql`;

    console.log(`each subscriber: ${QUERY}`);
    console.log(`payments: ${paymentsPerSecond}/s, 3 status events each (created, processing, succeeded), ${seconds}s per fleet\n`);
    for (const size of fleetSizes) {
      await delay(1000);
      const rssBefore = rssBytes(gateway.child.pid);
      const opening = performance.now();
      const fleet = await startSubscribers({ url: wsUrl, apiKey: key, query: QUERY, count: size });
      const openedIn = (performance.now() - opening) / 1000;
      await delay(2000);
      const rssIdle = rssBytes(gateway.child.pid);
      await pay(); // warm-up event, not measured
      await delay(1000);
      fleet.reset();
      proxy.bodies.length = 0;
      const cpuBefore = processCpuMs(gateway.child.pid);
      const loadCpuBefore = processCpuMs(process.pid);
      const started = performance.now();
      let made = 0;
      let failed = 0;
      const pacing = setInterval(() => void pay().then(() => made++, () => failed++), 1000 / paymentsPerSecond);
      await delay(seconds * 1000);
      clearInterval(pacing);
      await delay(3000); // let the last events arrive
      const elapsed = (performance.now() - started) / 1000;
      const events = made * 3;
      const fetches = proxy.bodies.filter((body) => body.includes('_entities')).length;
      console.log(`${size} subscribers (opened in ${openedIn.toFixed(1)} s)`);
      console.log(`  delivered           ${fleet.received()} of ${events * size} expected, ${(fleet.received() / elapsed).toFixed(0)} events/s, ${fleet.errors()} errors${fleet.firstError() ? ` (first: ${fleet.firstError()})` : ''}`);
      console.log(`  latency commit→receipt  p50 ${fleet.percentile(50)} ms, p99 ${fleet.percentile(99)} ms`);
      console.log(`  gateway memory      ${((rssIdle - rssBefore) / size / 1024).toFixed(1)} KiB RSS per idle subscription (connection included)`);
      const perEvent = (before: number, pid: number | undefined) => (((processCpuMs(pid) - before) / Math.max(1, fleet.received())) * 1000).toFixed(1);
      console.log(`  CPU per delivered   gateway ${perEvent(cpuBefore, gateway.child.pid)} µs, subscribers' process ${perEvent(loadCpuBefore, process.pid)} µs (${failed} payments failed)`);
      console.log(`  accounting fetches  ${fetches} for ${events} events (${(fetches / Math.max(1, events)).toFixed(2)} per event)\n`);
      await fleet.close();
    }
  } finally {
    await system?.stop();
    await proxy.close();
    await redis.stop();
    await cluster.stop();
  }
}

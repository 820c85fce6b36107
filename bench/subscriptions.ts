/**
 * Live payment status to many subscribers on one gateway: N graphql-ws subscribers (default 1, 1,000
 * and 10,000; BENCH_SUBSCRIBERS=10000 for the 10,000-subscriber mode alone), all of one merchant, each
 * selecting a field of the accounting subgraph, while that merchant's payments change status at a steady
 * rate. Prints per fleet: commit-to-client latency (p50, p99), split into commit-to-stream (the outbox
 * relay, seen by this process tailing the same Redis stream) and stream-to-client (the gateway's part),
 * the gateway's CPU per delivery (and above the 1-subscriber run's per-event cost, the mutations'
 * included), connections held to the end, memory per subscription, accounting fetches per event and
 * the load average.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { PAYMENT_EVENTS } from '../lib/events/event.js';
import { createRedisTransport } from '../lib/events/redis-transport.js';
import { startPostgresCluster } from '../tools/postgres-cluster.js';
import { redisServerAvailable, startRedisServer } from '../tools/redis-server.js';
import { startCountingProxy } from '../tools/counting-proxy.js';
import { processCpuMs } from './cpu.js';
import { gql } from './gql.js';
import { startProcessSystem, type ProcessSystem } from '../system/processes.js';
import { processOptions, serviceEnv } from './service-env.js';
import { startSubscribers } from './ws-subscribers.js';

const fleetSizes = (process.env['BENCH_SUBSCRIBERS'] ?? '1,1000,10000').split(',').map(Number);
// 3 events per payment to every subscriber: 10,000 subscribers at 2 payments/s would be 60,000 deliveries/s
const paymentRate = (size: number) => Number(process.env['BENCH_PAYMENT_RATE'] ?? (size >= 10_000 ? 0.5 : 2));
const seconds = Number(process.env['BENCH_SECONDS'] ?? 20);
const STATUS_EVENTS = new Set(['payment.created', 'payment.status_changed']);
const QUERY = 'subscription { paymentStatusChanged { cursor status occurredAt payment { fee { amount } } } }';

function rssBytes(pid: number | undefined): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

/** this process's soft limit of open files (Node raises it to the hard limit at start) */
function openFileLimit(pid: number | string = 'self'): number {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  return Number(line?.split(/\s+/)[3] ?? NaN);
}

/** waits until `condition` holds, or the deadline passes */
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const stopAt = Date.now() + timeoutMs;
  while (!condition() && Date.now() < stopAt) await delay(100);
}

const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)] ?? NaN;
}

export async function benchSubscriptions(): Promise<void> {
  if (!redisServerAvailable()) throw new Error('redis-server is needed: the gateway hears payment events through Redis when it runs alone');
  const cluster = await startPostgresCluster();
  const redis = await startRedisServer();
  let system: ProcessSystem | undefined;
  const proxy = { close: async () => undefined } as Awaited<ReturnType<typeof startCountingProxy>>;
  const transport = createRedisTransport({ url: redis.url });
  // when each event reached the stream, as a tail like the gateway's sees it
  const arrivals = new Map<string, { arrived: number; occurredAt: number }>();
  const tail = await transport.tail(PAYMENT_EVENTS, (event) => {
    if (STATUS_EVENTS.has(event.type) && !arrivals.has(event.occurredAt)) arrivals.set(event.occurredAt, { arrived: Date.now(), occurredAt: Date.parse(event.occurredAt) });
  });
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
    const limits = { bench: openFileLimit(), gateway: openFileLimit(gateway.child.pid) };

    console.log(`each subscriber: ${QUERY} (one connection each, all of one merchant: every subscriber receives every event)`);
    console.log(`3 status events per payment (created, processing, succeeded), ${seconds}s per fleet; open files allowed: bench ${limits.bench}, gateway ${limits.gateway}\n`);
    let gatewayCpuPerEventAlone: number | null = null;
    for (const size of fleetSizes) {
      if (size + 100 > Math.min(limits.bench, limits.gateway)) {
        console.log(`${size} subscribers: skipped, ${size} connections need more open files than allowed (raise ulimit -n before running)\n`);
        continue;
      }
      await delay(1000);
      const rate = paymentRate(size);
      const loadBefore = load();
      const rssBefore = rssBytes(gateway.child.pid);
      const opening = performance.now();
      const fleet = await startSubscribers({ url: wsUrl, apiKey: key, query: QUERY, count: size, arrivalOf: (at) => arrivals.get(at)?.arrived });
      const openedIn = (performance.now() - opening) / 1000;
      await delay(2000);
      const rssIdle = rssBytes(gateway.child.pid);
      await pay(); // warm-up events, not measured: all delivered before the window opens
      await until(() => fleet.received() >= 3 * size, 120_000);
      fleet.reset();
      arrivals.clear();
      proxy.bodies.length = 0;
      const cpuBefore = processCpuMs(gateway.child.pid);
      const loadCpuBefore = processCpuMs(process.pid);
      const started = performance.now();
      let made = 0;
      let failed = 0;
      const pacing = setInterval(() => void pay().then(() => made++, () => failed++), 1000 / rate);
      await delay(seconds * 1000);
      clearInterval(pacing);
      await until(() => fleet.received() >= arrivals.size * size, 60_000); // the last events' deliveries
      const elapsed = (performance.now() - started) / 1000;
      // what reached the stream in the window, whether or not its payment's mutations had answered yet
      const events = arrivals.size;
      const delivered = fleet.received();
      const gatewayCpuMs = processCpuMs(gateway.child.pid) - cpuBefore;
      const fetches = proxy.bodies.filter((body) => body.includes('_entities')).length;
      const relay = [...arrivals.values()].map(({ arrived, occurredAt }) => arrived - occurredAt);
      const perDelivery = (ms: number) => ((ms / Math.max(1, delivered)) * 1000).toFixed(1);
      const closedEarly = Object.entries(fleet.closedEarly()).map(([code, n]) => `${n} with ${code}`).join(', ') || 'none';
      console.log(`${size} subscribers, ${rate} payments/s (opened in ${openedIn.toFixed(1)} s; held ${fleet.held()} of ${size} at the end, closed early: ${closedEarly})`);
      console.log(`  delivered             ${delivered} of ${events * size} expected, ${(delivered / elapsed).toFixed(0)} deliveries/s, ${fleet.errors()} errors${fleet.firstError() ? ` (first: ${fleet.firstError()})` : ''} (${made} payments made, ${failed} failed)`);
      console.log(`  commit→client         p50 ${fleet.percentile(50)} ms, p99 ${fleet.percentile(99)} ms`);
      console.log(`    commit→stream       p50 ${percentile(relay, 50)} ms, p99 ${percentile(relay, 99)} ms (the outbox relay)`);
      console.log(`    stream→client       p50 ${fleet.streamPercentile(50)} ms, p99 ${fleet.streamPercentile(99)} ms (the gateway and the subscribers' process)`);
      const perEvent = gatewayCpuMs / Math.max(1, events);
      if (size === 1) gatewayCpuPerEventAlone = perEvent;
      const marginal = gatewayCpuPerEventAlone === null || size === 1 ? '' : `, ${(((perEvent - gatewayCpuPerEventAlone) / (size - 1)) * 1000).toFixed(1)} µs each above the 1-subscriber run's ${gatewayCpuPerEventAlone.toFixed(1)} ms per event`;
      console.log(`  gateway CPU           ${perDelivery(gatewayCpuMs)} µs per delivery${marginal}; subscribers' process ${perDelivery(processCpuMs(process.pid) - loadCpuBefore)} µs`);
      console.log(`  gateway memory        ${((rssIdle - rssBefore) / size / 1024).toFixed(1)} KiB RSS per idle subscription (connection included)`);
      console.log(`  accounting fetches    ${fetches} for ${events} events (${(fetches / Math.max(1, events)).toFixed(2)} per event)`);
      console.log(`  load average          ${loadBefore} before, ${load()} after\n`);
      await fleet.close();
    }
  } finally {
    await tail.stop();
    await transport.close();
    await system?.stop();
    await proxy.close();
    await redis.stop();
    await cluster.stop();
  }
}

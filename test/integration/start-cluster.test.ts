// `npm run build`, then the build's `node dist/scripts/start-cluster.js`: PostgreSQL, Redis, the simulators,
// four subgraphs and two gateways as processes behind the balancer, run as production runs them (plain
// node, no tsx). The cluster has its own PostgreSQL whichever database the suite is on: it runs in the
// PostgreSQL project only, once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { processExit } from '../../system/processes.js';
import { clusterEnv } from '../support/cluster-env.js';
import { eventually, pollUntil } from '../support/eventually.js';
import { card, TEST_CARDS, uniqueKey } from '../support/payments.js';

const runs = inject('database') === 'postgresql';

interface Cluster {
  child: ChildProcess;
  output: () => string;
  gateways: string[];
  balancer: string;
  adminKey: string;
  postgresPort: number;
  redisPort: number;
  /** the cluster's own children while it runs: the services and redis-server */
  children: number[];
}
let cluster: Cluster | undefined;

/** The processes whose parent is `pid` now (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function graphql<T>(baseUrl: string, key: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(`${baseUrl}: ${JSON.stringify(body)}`);
  return body.data;
}

beforeAll(async () => {
  if (!runs) return;
  const started = Date.now();
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { encoding: 'utf8' });
  expect(build.status, build.stderr + build.stdout).toBe(0);
  console.log(`npm run build: ${((Date.now() - started) / 1000).toFixed(1)} s (load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`);

  const child = spawn(process.execPath, ['dist/scripts/start-cluster.js'], { env: clusterEnv({ CLUSTER_PORT: '0' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await pollUntil(() => output.includes('ready: Ctrl-C') || child.exitCode !== null, { what: 'the cluster to start', timeoutMs: 240_000, intervalMs: 100 });
  expect(child.exitCode, output).toBeNull();
  const url = (name: string) => new RegExp(`^${name}\\s+(http://\\S+)/graphql`, 'm').exec(output)?.[1];
  cluster = {
    child,
    output: () => output,
    gateways: [url('gateway 1')!, url('gateway 2')!],
    balancer: url('load balancer')!,
    adminKey: /admin key \(shown once\):\n\s+(\S+)/.exec(output)![1]!,
    postgresPort: Number(/^postgresql\s+postgres:\/\/\S+:(\d+)\//m.exec(output)![1]),
    redisPort: Number(/^redis\s+redis:\/\/127\.0\.0\.1:(\d+)/m.exec(output)![1]),
    children: childrenOf(child.pid!),
  };
}, 480_000);

afterAll(async () => {
  // only if a test failed before stopping it
  if (cluster && cluster.child.exitCode === null) {
    cluster.child.kill('SIGTERM');
    await processExit(cluster.child);
  }
});

describe.runIf(runs)('npm run start:cluster on the build', () => {
  it('prints the URL of two gateway replicas and a balancer, and every service runs as its own child', () => {
    const { gateways, balancer, children } = cluster!;
    expect(new Set([...gateways, balancer]).size).toBe(3);
    // 3 simulators, 4 subgraphs, 2 gateways, redis-server
    expect(children.length, cluster!.output()).toBeGreaterThanOrEqual(10);
  });

  it('takes a card payment through each gateway replica and through the balancer; accounting books each from the events', async () => {
    const { adminKey } = cluster!;
    for (const baseUrl of [...cluster!.gateways, cluster!.balancer]) {
      const merchant = await graphql<{ createMerchant: { apiKey: string } }>(baseUrl, adminKey, 'mutation { createMerchant(input: { name: "Cluster shop" }) { apiKey } }');
      const key = merchant.createMerchant.apiKey;
      const created = await graphql<{ createPayment: { id: string } }>(baseUrl, key, 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }', {
        input: { amount: { amount: '100.00', currency: 'USD' }, channel: 'CARD', idempotencyKey: uniqueKey('cluster') },
      });
      const id = created.createPayment.id;
      const confirmed = await graphql<{ confirmPayment: { status: string } }>(baseUrl, key, 'mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { status } }', {
        input: { paymentId: id, card: card(TEST_CARDS.succeeds), idempotencyKey: uniqueKey('cluster-confirm') },
      });
      expect(confirmed.confirmPayment.status).toBe('SUCCEEDED');
      // the fee is the accounting subgraph's, booked from the payment's events through Redis
      const booked = await eventually(
        () => graphql<{ payment: { fee: { amount: string } | null } }>(baseUrl, key, 'query($id: ID!) { payment(id: $id) { fee { amount } } }', { id }),
        (result) => result.payment.fee !== null,
        { what: `the fee of ${id} through ${baseUrl}`, timeoutMs: 60_000, intervalMs: 200 },
      );
      expect(booked.payment.fee).toEqual({ amount: '3.20' });
    }
  });

  it('stops on SIGTERM: every child exits, PostgreSQL and Redis stop', async () => {
    const { child, children, postgresPort, redisPort } = cluster!;
    child.kill('SIGTERM');
    const exit = await processExit(child);
    expect(exit, cluster!.output()).toEqual({ code: 0, signal: null });
    expect(children.filter(alive)).toEqual([]);
    expect(await accepts(postgresPort)).toBe(false);
    expect(await accepts(redisPort)).toBe(false);
  });
});

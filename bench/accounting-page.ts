/**
 * Accounting's CPU per page of 20 payments (`fee net ledgerEntries`), two versions side by side:
 * `npx tsx bench/accounting-page.ts [<baseline root>]`. Each version's accounting subgraph runs in
 * its own process, on its own database seeded with the same captures (SQLite; BENCH_DB=postgresql
 * for a throwaway PostgreSQL cluster), and answers the `_entities` request the gateway sends for the
 * page, signed as the gateway signs it. Rounds alternate between the versions; each process's CPU
 * (from /proc) less its idle CPU over the same time (the outbox relay polls meanwhile) is divided by
 * the requests it answered. Without a baseline root, this checkout runs against itself.
 * BENCH_PROFILE=<dir> writes each version's V8 CPU profile there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createInProcessTransport } from '../lib/events/in-process-transport.js';
import type { EventEnvelope } from '../lib/events/event.js';
import { httpRequest } from '../lib/http-request.js';
import { signedJsonHeaders } from '../lib/internal-signature.js';
import { encodePrincipal } from '../lib/principal.js';
import { startPostgresCluster, type PostgresCluster } from '../tools/postgres-cluster.js';
import { processCpuMs } from './cpu.js';

const PAYMENTS = 20;
const REQUESTS_PER_ROUND = Number(process.env['BENCH_REQUESTS'] ?? 300);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
const IDLE_MS = 1_000;
const MERCHANT = 'mer_bench_page';
const here = resolve(import.meta.dirname, '..');

const quiet = { SETTLEMENT_INTERVAL: '1h', EVENT_BACKFILL_INTERVAL: '1h', OUTBOX_PRUNE_INTERVAL: '1h' };

function captureEvents(index: number): EventEnvelope[] {
  const paymentId = `pay_bench_page_${String(index).padStart(3, '0')}`;
  const occurredAt = new Date(Date.UTC(2026, 10, 1, 12, 0, index)).toISOString();
  const base = { source: 'payment', aggregateType: 'payment', aggregateId: paymentId, occurredAt };
  const payload = {
    paymentId, merchantId: MERCHANT, channel: 'CARD', captureMethod: 'AUTOMATIC', currency: 'USD', amount: String(1000 + index),
    amountCapturable: '0', amountReceived: String(1000 + index), amountRefunded: '0', failureCode: null, createdAt: occurredAt, providerReference: `auth_${index}`,
  };
  return [
    { ...base, id: `payment:${index * 2}`, position: index * 2 + 1, type: 'payment.created', sequence: 1, payload: { ...payload, status: 'REQUIRES_CONFIRMATION', amountReceived: '0', previousStatus: null } },
    { ...base, id: `payment:${index * 2 + 1}`, position: index * 2 + 2, type: 'payment.status_changed', sequence: 2, payload: { ...payload, status: 'SUCCEEDED', previousStatus: 'PROCESSING' } },
  ];
}

interface Version {
  label: string;
  root: string;
  env: Record<string, string>;
  child?: ChildProcess;
  url?: string;
  cpuMs: number;
  requests: number;
}

/** Child mode: `--serve <root>`: starts that checkout's accounting subgraph from the environment and prints its URL. */
async function serve(root: string): Promise<void> {
  const { loadAccountingConfig } = await import(join(root, 'subgraphs/accounting/config.ts'));
  const { startAccountingSubgraph } = await import(join(root, 'subgraphs/accounting/index.ts'));
  const transport = createInProcessTransport();
  const accounting = await startAccountingSubgraph(loadAccountingConfig(process.env), { transport, onInternalError: () => undefined });
  console.log(`URL ${accounting.url}`);
  process.on('SIGTERM', () => void accounting.close().then(() => process.exit(0)));
}

/** Books the same captures into a version's database with this checkout's accounting, in process. */
async function seed(env: Record<string, string>): Promise<void> {
  const { loadAccountingConfig } = await import('../subgraphs/accounting/config.js');
  const { startAccountingSubgraph } = await import('../subgraphs/accounting/index.js');
  const transport = createInProcessTransport();
  const accounting = await startAccountingSubgraph(loadAccountingConfig(env), { transport, onInternalError: () => undefined });
  for (let i = 0; i < PAYMENTS; i++) for (const event of captureEvents(i)) await accounting.handleEvent(event);
  await accounting.close();
  await transport.close();
}

async function start(version: Version): Promise<void> {
  const profile = process.env['BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env['BENCH_PROFILE'], version.label)}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', join(here, 'bench/accounting-page.ts'), '--serve', version.root], {
    cwd: version.root,
    env: { ...process.env, ...version.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // without a payment subgraph, the consumer's start sweep fails and says so: not the bench's news
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (!line.includes('sweep of')) console.error(`${version.label}: ${line}`);
  });
  version.child = child;
  const lines = createInterface({ input: child.stdout });
  version.url = await new Promise<string>((resolveUrl, reject) => {
    child.once('exit', (code) => reject(new Error(`${version.label} exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('URL ')) resolveUrl(line.slice(4));
    });
  });
}

const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Payment { fee { amount currency } net { amount currency } ledgerEntries { id journalId account side amount { amount currency } postedAt } } } }`;
const representations = Array.from({ length: PAYMENTS }, (_, i) => ({ __typename: 'Payment', id: `pay_bench_page_${String(i).padStart(3, '0')}` }));
const principal = encodePrincipal({ role: 'MERCHANT', merchantId: MERCHANT, keyId: 'key_bench' });

async function page(version: Version, secret: string): Promise<void> {
  const body = JSON.stringify({ query, variables: { representations } });
  const headers = signedJsonHeaders(secret, { method: 'POST', service: 'accounting', path: '/graphql', principal, body });
  const answer = await httpRequest(`${version.url}/graphql`, { method: 'POST', headers, body });
  const json = JSON.parse(answer.body) as { data?: { _entities: Array<{ ledgerEntries: unknown[] }> }; errors?: unknown };
  if (json.errors || json.data?._entities.length !== PAYMENTS || json.data._entities.some((p) => p.ledgerEntries.length !== 3)) {
    throw new Error(`${version.label} answered ${answer.body.slice(0, 300)}`);
  }
}

async function idleCpuPerMs(version: Version): Promise<number> {
  const before = processCpuMs(version.child!.pid);
  await new Promise((r) => setTimeout(r, IDLE_MS));
  return (processCpuMs(version.child!.pid) - before) / IDLE_MS;
}

async function bench(baselineRoot: string): Promise<void> {
  const secret = randomBytes(32).toString('hex');
  const dialect = process.env['BENCH_DB'] === 'postgresql' ? 'postgresql' : 'sqlite';
  let cluster: PostgresCluster | undefined;
  const dirs: string[] = [];
  const envFor = async (label: string): Promise<Record<string, string>> => {
    const dataDir = mkdtempSync(join(tmpdir(), `bench-page-${label}-`));
    dirs.push(dataDir);
    const common = { ...quiet, INTERNAL_SECRET: secret, ACCOUNTING_PORT: '0', DATA_DIR: dataDir };
    if (dialect === 'sqlite') return common;
    cluster ??= await startPostgresCluster();
    return { ...common, DATABASE_URL: await cluster.createDatabase(`accounting_${label}`) };
  };
  const versions: Version[] = [
    { label: 'baseline', root: resolve(baselineRoot), env: await envFor('baseline'), cpuMs: 0, requests: 0 },
    { label: 'this', root: here, env: await envFor('this'), cpuMs: 0, requests: 0 },
  ];
  try {
    for (const version of versions) await seed(version.env);
    for (const version of versions) await start(version);
    for (const version of versions) for (let i = 0; i < 50; i++) await page(version, secret); // warm
    const idle = versions.map(() => 0);
    for (let round = 0; round < ROUNDS; round++) {
      // the order alternates, so neither version always runs just after the other
      for (const index of round % 2 === 0 ? [0, 1] : [1, 0]) {
        const version = versions[index]!;
        // its idle CPU (the relay's polling) just before its round, subtracted over the round's time
        const idlePerMs = await idleCpuPerMs(version);
        idle[index]! += idlePerMs / ROUNDS;
        const started = performance.now();
        const cpuBefore = processCpuMs(version.child!.pid);
        for (let i = 0; i < REQUESTS_PER_ROUND; i++) await page(version, secret);
        const elapsed = performance.now() - started;
        version.cpuMs += processCpuMs(version.child!.pid) - cpuBefore - idlePerMs * elapsed;
        version.requests += REQUESTS_PER_ROUND;
      }
    }
    const [load1, load5] = loadavg();
    console.log(`accounting CPU per page of ${PAYMENTS} payments (fee net ledgerEntries), ${dialect}, ${ROUNDS} × ${REQUESTS_PER_ROUND} requests each, load average ${load1!.toFixed(2)} ${load5!.toFixed(2)}`);
    for (const [index, version] of versions.entries()) {
      console.log(`  ${version.label.padEnd(9)} ${(version.cpuMs / version.requests).toFixed(2)} ms/request   (idle ${(idle[index]! * 1000).toFixed(0)} ms/s on average subtracted; ${version.root})`);
    }
    const [baseline, current] = versions;
    console.log(`  this / baseline: ${(current!.cpuMs / current!.requests / (baseline!.cpuMs / baseline!.requests)).toFixed(2)}`);
  } finally {
    for (const version of versions) version.child?.kill('SIGTERM');
    await Promise.all(versions.map((v) => new Promise((r) => (v.child && v.child.exitCode === null ? v.child.once('exit', r) : r(undefined)))));
    await cluster?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') await serve(process.argv[3]!);
else await bench(process.argv[2] ?? here);

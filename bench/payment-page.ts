/**
 * CPU of the payment subgraph per `payments(first: 20)` page, per `_entities` of 20 payments and per API key
 * lookup. The subgraph runs alone in a child process (no relay, no other service) over SQLite, or PostgreSQL
 * when DATABASE_URL is set; this process sends it requests signed as the gateway signs them, one at a time, and
 * reads the child's CPU (user + system) from /proc. `npx tsx bench/payment-page.ts [root …]`: each root is a
 * checkout whose payment subgraph is measured (default this one), in turn, round after round, so that two
 * checkouts are compared in one run. BENCH_REQUESTS per figure (default 600), BENCH_ROUNDS (default 2).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hashApiKey } from '../lib/api-key.js';
import { callInternalRoute } from '../lib/internal-client.js';
import { signedJsonHeaders } from '../lib/internal-signature.js';
import { encodePrincipal, type Principal } from '../lib/principal.js';
import { principalRoute } from '../subgraphs/payment/contract/internal-routes.js';
import type { loadPaymentConfig as LoadConfig } from '../subgraphs/payment/config.js';
import type { startPaymentSubgraph as StartSubgraph } from '../subgraphs/payment/index.js';
import { isolatedEnv } from '../system/topology.js';
import { processCpuMs } from './cpu.js';

const requests = Number(process.env['BENCH_REQUESTS'] ?? 600);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 2);

interface Served {
  url: string;
  secret: string;
}

/** The child: the payment subgraph of `root`, until its parent disconnects. */
async function serve(root: string): Promise<void> {
  const { loadPaymentConfig } = (await import(pathToFileURL(join(root, 'subgraphs/payment/config.ts')).href)) as { loadPaymentConfig: typeof LoadConfig };
  const { startPaymentSubgraph } = (await import(pathToFileURL(join(root, 'subgraphs/payment/index.ts')).href)) as { startPaymentSubgraph: typeof StartSubgraph };
  const dataDir = mkdtempSync(join(tmpdir(), 'paygraph-bench-page-'));
  const env = { ...isolatedEnv(), DATA_DIR: dataDir, PAYMENT_RECOVERY_INTERVAL: '1h', CARD_PROVIDER_URL: 'http://127.0.0.1:9' };
  const subgraph = await startPaymentSubgraph(loadPaymentConfig(process.env['DATABASE_URL'] ? { ...env, DATABASE_URL: process.env['DATABASE_URL'] } : env));
  process.send!({ url: subgraph.url, secret: env.INTERNAL_SECRET } satisfies Served);
  process.once('disconnect', () => {
    void subgraph.close().finally(() => rmSync(dataDir, { recursive: true, force: true }));
  });
}

function startChild(root: string): Promise<{ child: ChildProcess; served: Served }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', root], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((done, failed) => {
    child.once('message', (served) => done({ child, served: served as Served }));
    child.once('exit', (code) => failed(new Error(`the payment subgraph of ${root} exited (${code})`)));
  });
}

// what the gateway asks the payment subgraph for a page of 20 payments with their merchant and refunds
const page = `{ payments(first: 20) { edges { cursor node { __typename id status channel captureMethod amount { amount currency } amountReceived { amount currency }
  amountRefunded { amount currency } description metadata card { brand last4 } createdAt updatedAt merchant { id name } refunds { id status } } }
  pageInfo { hasNextPage endCursor } } }`;
const entities = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Payment { id status amount { amount currency } merchant { id name } } } }`;

async function measureOne(root: string): Promise<Record<string, number>> {
  const { child, served } = await startChild(root);
  try {
    const query = async (principal: Principal, text: string, variables: Record<string, unknown> = {}): Promise<any> => {
      const body = JSON.stringify({ query: text, variables });
      const response = await fetch(`${served.url}/graphql`, {
        method: 'POST',
        headers: signedJsonHeaders(served.secret, { method: 'POST', service: 'payment', path: '/graphql', principal: encodePrincipal(principal), body }),
        body,
      });
      const result = (await response.json()) as { data?: any; errors?: unknown[] };
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };
    const admin: Principal = { role: 'ADMIN', merchantId: null, keyId: null };
    const made = await query(admin, 'mutation { createMerchant(input: { name: "bench" }) { merchant { id } apiKey } }');
    const merchant: Principal = { role: 'MERCHANT', merchantId: made.createMerchant.merchant.id, keyId: 'key_bench' };
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const created = await query(merchant, 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }', {
        input: { amount: { amount: `${10 + i}.00`, currency: 'USD' }, channel: 'CARD', description: `order ${i}`, metadata: { order: i }, idempotencyKey: `bench-${i}` },
      });
      ids.push(created.createPayment.id);
    }
    const representations = ids.slice(0, 20).map((id) => ({ __typename: 'Payment', id }));
    const keyHash = hashApiKey(made.createMerchant.apiKey);
    const cases: Record<string, () => Promise<unknown>> = {
      '{ __typename }': () => query(merchant, '{ __typename }'),
      'payments(first: 20)': () => query(merchant, page),
      '_entities of 20 payments': () => query(merchant, entities, { representations }),
      'API key lookup': () => callInternalRoute(principalRoute, served.url, served.secret, { keyHash }),
    };
    const figures: Record<string, number> = {};
    for (const [what, once] of Object.entries(cases)) {
      for (let i = 0; i < 50; i++) await once(); // warm: JIT, prepared statements
      const before = processCpuMs(child.pid);
      for (let i = 0; i < requests; i++) await once();
      figures[what] = (processCpuMs(child.pid) - before) / requests;
    }
    return figures;
  } finally {
    child.disconnect();
    await new Promise((done) => child.once('exit', done));
  }
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3]!);
} else {
  const roots = process.argv.length > 2 ? process.argv.slice(2).map((root) => resolve(root)) : [resolve('.')];
  console.log(`payment subgraph CPU per request (ms, its process alone), ${process.env['DATABASE_URL'] ? 'PostgreSQL' : 'SQLite'}, ${requests} requests per figure, one at a time`);
  for (let round = 1; round <= rounds; round++) {
    const results = [];
    for (const root of roots) results.push(await measureOne(root));
    console.log(`round ${round}, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
    for (const what of Object.keys(results[0]!)) {
      const cells = results.map((figures) => figures[what]!.toFixed(2).padStart(7));
      const ratio = results.length > 1 ? `   ratio ${(results.at(-1)![what]! / results[0]![what]!).toFixed(2)}` : '';
      console.log(`  ${what.padEnd(26)} ${cells.join(' ')}${ratio}`);
    }
  }
  console.log(`columns: ${roots.join(', ')}`);
}

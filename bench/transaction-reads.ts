/**
 * CPU per request of the transaction subgraph serving what the gateway asks it for a page of 20
 * payments with their `transactions`: one `_entities` fetch of 20 Payment representations. Starts the
 * subgraph in this process (SQLite in a temporary directory, or PostgreSQL with DATABASE_URL), records
 * 20 captured payments through its consumer, then times rounds of sequential signed requests with
 * process.cpuUsage() (the client's share is the same for every variant).
 *
 *   npx tsx bench/transaction-reads.ts [--base <checkout>] [--requests 300] [--rounds 5]
 *
 * With --base (a checkout of another commit, e.g. `git archive main | tar -x -C /tmp/base` plus a
 * node_modules symlink), its subgraph runs beside this one and rounds alternate between the two.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { signedJsonHeaders } from '../lib/internal-signature.js';
import { encodePrincipal } from '../lib/principal.js';
import { httpRequest } from '../lib/http-request.js';

const { values } = parseArgs({ options: { base: { type: 'string' }, requests: { type: 'string', default: '300' }, rounds: { type: 'string', default: '5' } } });
const requests = Number(values.requests);
const rounds = Number(values.rounds);
const PAGE = 20;
const secret = 'transaction-reads-bench-internal-secret-0123456789';

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Payment { transactions {
  id tradeNo type direction channel status occurredAt
  amount { amount currency minorUnits } fee { amount currency minorUnits } net { amount currency minorUnits } } } } }`;

interface Variant {
  name: string;
  url: string;
  body: string;
  principal: string;
  close: () => Promise<void>;
}

async function startVariant(name: string, root: string, index: number): Promise<Variant> {
  const at = (path: string) => import(pathToFileURL(join(root, path)).href);
  const { loadTransactionConfig } = await at('subgraphs/transaction/config.ts');
  const { startTransactionSubgraph } = await at('subgraphs/transaction/index.ts');
  const { AccountingStream } = await at('subgraphs/transaction/test-kit.ts');
  const { capturingTransport } = await at('test/support/capturing-transport.ts');
  const dataDir = mkdtempSync(join(tmpdir(), `paygraph-transaction-reads-${name}-`));
  const { transport, subscriptions } = capturingTransport();
  const env = { NODE_ENV: 'test', TRANSACTION_PORT: '0', DATA_DIR: dataDir, INTERNAL_SECRET: secret, EVENT_BACKFILL_INTERVAL: '1h', ...(process.env['DATABASE_URL'] ? { DATABASE_URL: process.env['DATABASE_URL'] } : {}) };
  const subgraph = await startTransactionSubgraph(loadTransactionConfig(env), { transport, consumerName: `bench-${name}` });
  const booked = subscriptions.find((s: { stream: string }) => s.stream === 'accounting-events').handler;
  // distinct merchants and payments per variant and run: on PostgreSQL both share one schema
  const run = `${Date.now().toString(36)}${index}`;
  const merchantId = `mer_bench${run}`;
  const accounting = new AccountingStream();
  const paymentIds = Array.from({ length: PAGE }, (_, i) => `pay_bench${run}x${i}`);
  for (const [i, paymentId] of paymentIds.entries()) {
    await booked(accounting.paymentBooked({ paymentId, merchantId }, BigInt(10_000 + i), 320n, new Date(Date.UTC(2026, 10, 22, 10, 0, i))));
  }
  return {
    name,
    url: `${subgraph.url}/graphql`,
    body: JSON.stringify({ query: ENTITIES, variables: { representations: paymentIds.map((id) => ({ __typename: 'Payment', id })) } }),
    principal: encodePrincipal({ role: 'MERCHANT', merchantId, keyId: 'bench' }),
    close: async () => {
      await subgraph.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function request(variant: Variant): Promise<void> {
  const headers = signedJsonHeaders(secret, { method: 'POST', service: 'transaction', path: '/graphql', principal: variant.principal, body: variant.body });
  const response = await httpRequest(variant.url, { method: 'POST', headers, body: variant.body });
  const json = JSON.parse(response.body) as { data?: { _entities: { transactions: unknown[] }[] }; errors?: unknown };
  if (json.errors || json.data?._entities.filter((payment) => payment.transactions.length === 1).length !== PAGE) {
    throw new Error(`${variant.name}: unexpected answer ${response.body.slice(0, 300)}`);
  }
}

/** CPU ms (user + system) of this process per request over `n` sequential requests. */
async function cpuPerRequest(variant: Variant, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await request(variant);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

const variants = [await startVariant('this', resolve(import.meta.dirname, '..'), 0)];
if (values.base) variants.push(await startVariant('base', resolve(values.base), 1));
try {
  for (const variant of variants) await cpuPerRequest(variant, 50); // warm: JIT, statement caches
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const variant of round % 2 ? [...variants].reverse() : variants) samples.get(variant.name)!.push(await cpuPerRequest(variant, requests));
  }
  const database = process.env['DATABASE_URL'] ? 'postgresql' : 'sqlite';
  console.log(`transaction _entities of ${PAGE} Payments with transactions, ${database}, ${rounds} rounds of ${requests} requests, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const [name, list] of samples) console.log(`  ${name}: ${median(list).toFixed(3)} ms CPU per request (median of rounds; rounds ${list.map((x) => x.toFixed(3)).join(' ')})`);
  if (values.base) console.log(`  this / base: ${(median(samples.get('this')!) / median(samples.get('base')!)).toFixed(2)}`);
} finally {
  for (const variant of variants) await variant.close();
}

/**
 * `npm run start:cluster`: the multi-node topology of compose.yaml as processes on this machine, for
 * where Docker is not: PostgreSQL (a throwaway cluster, one database per subgraph, unless DATABASE_URL or
 * PAYMENT_DATABASE_URL, … name servers), Redis with its append-only file (throwaway unless REDIS_URL), the
 * sandbox simulators, the four subgraphs and GATEWAY_REPLICAS gateways (2), each its own process
 * (system/processes.ts), behind a round-robin balancer on CLUSTER_PORT (4000). Ctrl-C or SIGTERM stops
 * every process it started, the last started first; what was throwaway is deleted.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { z } from 'zod';
import { envPort, parseEnv, type Env } from '../lib/config-loader.js';
import { startLoadBalancer } from '../lib/load-balancer.js';
import { paymentSandbox } from '../subgraphs/payment/config.js';
import { startProcessSystem, startServiceProcess, type ServiceProcess } from '../system/processes.js';
import { serviceEnv, type Service, type ServiceUrls } from '../system/topology.js';
import { startPostgresCluster } from '../tools/postgres-cluster.js';
import { startRedisServer } from '../tools/redis-server.js';
import { migrateTargets, SUBGRAPHS } from './migrate-command.js';
import { closeOnSignal, failStart } from './run-until-signal.js';

const schema = z.object({
  CLUSTER_PORT: envPort.default(4000),
  CLUSTER_HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_REPLICAS: z.coerce.number().int().min(1).max(16).default(2),
  DATA_DIR: z.string().min(1).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional(),
  ADMIN_API_KEY: z.string().optional(),
});

const closers: (() => Promise<void>)[] = [];
const children = new Set<ChildProcess>();
// a start that fails, or an error nobody caught, must not leave services running without their parent
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
const stopAll = async () => {
  for (const close of closers.splice(0).reverse()) await close().catch((error: unknown) => console.error(error));
};
const line = (name: string, what: string) => console.log(`${name.padEnd(22)}${what}`);

try {
  const e = parseEnv('start:cluster', schema, process.env);
  const dataDir = e.DATA_DIR ? resolve(e.DATA_DIR) : mkdtempSync(join(tmpdir(), 'paygraph-cluster-'));
  if (!e.DATA_DIR) closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true, mode: 0o700 });

  const given = migrateTargets({ ...process.env, DATA_DIR: dataDir });
  const givenUrls = SUBGRAPHS.map((name) => given.databaseUrlOf(name));
  const databaseUrls: Record<string, string> = {};
  if (givenUrls.every((url) => url !== undefined)) {
    SUBGRAPHS.forEach((name, index) => (databaseUrls[name] = givenUrls[index]!));
    line('postgresql', 'as given (DATABASE_URL / <SUBGRAPH>_DATABASE_URL)');
  } else if (givenUrls.some((url) => url !== undefined)) {
    throw new Error('start:cluster: set DATABASE_URL, or each of PAYMENT_, ACCOUNTING_, TRANSACTION_ and ANALYTICS_DATABASE_URL, or none (a throwaway cluster)');
  } else {
    // durable as production runs it (the test clusters turn fsync off)
    const cluster = await startPostgresCluster({ settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' } });
    closers.push(() => cluster.stop());
    for (const name of SUBGRAPHS) databaseUrls[name] = await cluster.createDatabase(name);
    line('postgresql', `${cluster.url}  (throwaway cluster; databases ${SUBGRAPHS.join(', ')})`);
  }

  let redisUrl = e.REDIS_URL;
  if (redisUrl) line('redis', `${redisUrl}  (as given)`);
  else {
    const redis = await startRedisServer({ persistence: 'aof' });
    closers.push(() => redis.stop());
    redisUrl = redis.url;
    line('redis', `${redisUrl}  (throwaway; appendonly yes, appendfsync everysec)`);
  }

  const balancer = await startLoadBalancer({ port: e.CLUSTER_PORT, host: e.CLUSTER_HOST });
  closers.push(() => balancer.close());

  const adminApiKey = e.ADMIN_API_KEY ?? `pgk_admin_${randomBytes(24).toString('base64url')}`;
  const env: Env = {
    // every service on a free port of 127.0.0.1: only the balancer has a port of its own
    SUBGRAPH_HOST: '127.0.0.1',
    HOST: '127.0.0.1',
    ...process.env,
    ...Object.fromEntries(['PORT', 'PAYMENT_PORT', 'ACCOUNTING_PORT', 'TRANSACTION_PORT', 'ANALYTICS_PORT', 'CARD_SIMULATOR_PORT', 'ALIPAY_SIMULATOR_PORT', 'WECHATPAY_SIMULATOR_PORT'].map((name) => [name, '0'])),
    DATA_DIR: dataDir,
    REDIS_URL: redisUrl,
    ADMIN_API_KEY: adminApiKey,
    // providers' notifications come in through the balancer, as through the public host in production
    PAYMENT_PUBLIC_URL: process.env.PAYMENT_PUBLIC_URL ?? balancer.url,
    // the gateways see clients' addresses in the balancer's X-Forwarded-For (rate limits per address)
    TRUST_PROXY: process.env.TRUST_PROXY ?? 'loopback',
  };
  const simulators: Service[] = !paymentSandbox(env)
    ? []
    : [
        ...(env.CARD_PROVIDER_URL ? [] : (['card-simulator'] as const)),
        ...(env.ALIPAY_GATEWAY_URL ? [] : (['alipay-simulator'] as const)),
        ...(env.WECHATPAY_URL ? [] : (['wechat-pay-simulator'] as const)),
      ];
  const system = await startProcessSystem({
    env,
    services: [...simulators, ...SUBGRAPHS, 'gateway'],
    envOf: Object.fromEntries(SUBGRAPHS.map((name) => [name, { DATABASE_URL: databaseUrls[name] }])),
    logDir,
  });
  closers.push(() => system.stop());
  const started = Object.entries(system.processes) as [Service, ServiceProcess][];
  for (const [, one] of started) children.add(one.child);

  const urls: ServiceUrls = Object.fromEntries(started.map(([service, one]) => [service, one.url]));
  const gateways = [system.processes.gateway!];
  for (let replica = 2; replica <= e.GATEWAY_REPLICAS; replica++) {
    const gateway = await startServiceProcess('gateway', serviceEnv('gateway', env, urls), { logDir });
    children.add(gateway.child);
    closers.push(gateway.stop);
    gateways.push(gateway);
  }
  balancer.setBackends(gateways.map((gateway) => gateway.url));

  const names: Partial<Record<Service, string>> = {
    'card-simulator': 'card simulator',
    'alipay-simulator': 'alipay simulator',
    'wechat-pay-simulator': 'wechat pay simulator',
    payment: 'payment subgraph',
    accounting: 'accounting subgraph',
    transaction: 'transaction subgraph',
    analytics: 'analytics subgraph',
  };
  for (const [service, one] of started) {
    if (service === 'gateway') continue;
    const path = SUBGRAPHS.includes(service as never) ? '/graphql' : '';
    line(names[service] ?? service, `${one.url}${path}  (pid ${one.child.pid})`);
  }
  gateways.forEach((gateway, index) => line(`gateway ${index + 1}`, `${gateway.url}/graphql  (pid ${gateway.child.pid})`));
  line('load balancer', `${balancer.url}/graphql  (round robin over ${gateways.length} gateways; explorer ${balancer.url}/)`);
  line('logs', logDir);
  if (!e.ADMIN_API_KEY) console.log(`\nADMIN_API_KEY was not set; this run's admin key (shown once):\n  ${adminApiKey}\n`);
  console.log('ready: Ctrl-C stops every process');
  closeOnSignal([stopAll]);
} catch (error) {
  await stopAll();
  failStart(error);
}

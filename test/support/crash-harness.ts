import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig } from '../../gateway/config.js';
import { startGateway } from '../../gateway/server.js';
import type { Env } from '../../lib/config-loader.js';
import { openDatabase, type Database } from '../../lib/database.js';
import type { CrashPoint } from '../../lib/faults/crash-points.js';
import type { RunningServer } from '../../lib/http-server.js';
import { startCardSimulator } from '../../simulators/card/server.js';
import { processExit, ServiceProcessExited, startServiceProcess, type ProcessExit, type ServiceProcess } from '../../system/processes.js';
import { subgraphModules, type SubgraphName } from '../../system/subgraphs.js';
import { isolatedEnv, serviceEnv, type ServiceUrls } from '../../system/topology.js';
import { freePort } from '../../tools/free-port.js';
import { startRedisServer } from '../../tools/redis-server.js';
import { freshDatabaseUrl } from './database.js';
import { gatewayClient, type GraphQLResponse } from './graphql.js';
import type { CreateMerchantResult } from './operations.js';

/** The variable naming each subgraph's port: a restarted subgraph listens where its predecessor did. */
const PORT_VARIABLES: Record<SubgraphName, string> = {
  payment: 'PAYMENT_PORT',
  accounting: 'ACCOUNTING_PORT',
  transaction: 'TRANSACTION_PORT',
  analytics: 'ANALYTICS_PORT',
};

export type CrashAt = CrashPoint | `${CrashPoint}@${number}`;

export interface StartOptions {
  crashAt?: CrashAt;
  /** this start's environment beyond the subgraph's (e.g. REDIS_URL unset: its relay publishes nothing) */
  env?: Env;
}

/** One subgraph as a child process that a test may arm with a crash point, watch die and start again. */
export interface RestartableSubgraph {
  readonly name: SubgraphName;
  readonly url: string;
  /** the process running now (null while stopped) */
  current: () => ServiceProcess | null;
  /** starts it on its port, dying at `crashAt` when given (PAYGRAPH_CRASH_AT=<point>[@n]), its environment changed by `env` */
  start: (options?: StartOptions) => Promise<void>;
  /**
   * Starts it armed with `crashAt` where it passes the point on its own (a relay or consumer with work
   * waiting), and resolves with its exit, whether it died before or after announcing its URL.
   */
  startToDie: (crashAt: CrashAt, env?: Env) => Promise<ProcessExit>;
  /** resolves when the process running now exits */
  exited: () => Promise<ProcessExit>;
  /** stops it gracefully (SIGTERM), if it runs */
  stop: () => Promise<void>;
  /** what its processes printed, for failure messages */
  log: () => string;
}

/**
 * A system whose subgraphs are child processes on one throwaway database (a SQLite file per subgraph in
 * a temporary directory, or a new PostgreSQL database of the suite's cluster) and a real Redis; the card
 * acquirer (which does not die) and the gateway run in this process, and the client speaks GraphQL to
 * the gateway as a partner would.
 */
export interface CrashSystem {
  gatewayUrl: string;
  simulatorUrl: string;
  adminKey: string;
  subgraphs: Partial<Record<SubgraphName, RestartableSubgraph>>;
  /** the subgraph's database, opened beside its process (read what the API does not show) */
  database(name: SubgraphName): Promise<Database>;
  query<T = unknown>(apiKey: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  seedMerchant(name?: string): Promise<{ merchantId: string; apiKey: string }>;
  stop(): Promise<void>;
}

export interface CrashSystemOptions {
  /** the subgraphs to run as processes; the gateway routes to all four, those not started answer errors */
  subgraphs: readonly SubgraphName[];
  /** every subgraph's environment beyond the system's (e.g. short recovery periods) */
  env?: Env;
}

/** Quick to notice what a dead process left: its pending events are claimed after 1 s, its idempotency claims lapse after 3 s, recovery looks every 300 ms at what is 1 s old. */
const FAULT_TIMINGS: Env = {
  EVENT_CLAIM_IDLE: '1s',
  PAYMENT_RECOVERY_INTERVAL: '1s',
  PAYMENT_RECOVERY_AFTER: '15s',
  IDEMPOTENCY_LEASE: '3s',
};

export async function startCrashSystem(options: CrashSystemOptions): Promise<CrashSystem> {
  const closers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'paygraph-crash-'));
    closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const logDir = join(dataDir, 'logs');
    mkdirSync(logDir);
    const base = isolatedEnv();
    const [databaseUrl, redis, simulator] = await Promise.all([
      freshDatabaseUrl(),
      startRedisServer(),
      startCardSimulator({ port: 0, apiKey: base.CARD_PROVIDER_API_KEY, webhookSecret: base.CARD_WEBHOOK_SECRET }),
    ]);
    closers.push(() => redis.stop(), simulator.close);
    const env: Env = { ...process.env, ...base, ...FAULT_TIMINGS, ...options.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, REDIS_URL: redis.url };

    const ports = Object.fromEntries(await Promise.all(Object.keys(PORT_VARIABLES).map(async (name) => [name, await freePort()] as const))) as Record<SubgraphName, number>;
    const urls: ServiceUrls = { 'card-simulator': simulator.url };
    for (const name of Object.keys(PORT_VARIABLES) as SubgraphName[]) urls[name] = `http://127.0.0.1:${ports[name]}`;
    const subgraphs: CrashSystem['subgraphs'] = {};
    for (const name of options.subgraphs) {
      const subgraph = restartableSubgraph(name, serviceEnv(name, { ...env, [PORT_VARIABLES[name]]: String(ports[name]) }, urls), urls[name]!, logDir);
      subgraphs[name] = subgraph;
      closers.push(subgraph.stop);
    }
    // payment first: it migrates the database the others' schemas sit beside on PostgreSQL
    await subgraphs.payment?.start();
    await Promise.all(Object.values(subgraphs).filter((subgraph) => subgraph.name !== 'payment').map((subgraph) => subgraph.start()));

    const gateway: RunningServer = await startGateway(loadGatewayConfig(serviceEnv('gateway', env, urls)), { onInternalError: () => undefined });
    closers.push(gateway.close);

    const databases = new Map<SubgraphName, Promise<Database>>();
    closers.push(async () => {
      for (const opened of databases.values()) await (await opened).close();
    });
    const database = (name: SubgraphName) => {
      let opened = databases.get(name);
      if (!opened) {
        opened = subgraphModules[name]().then(({ entities, migrations }) => openDatabase({ name, databaseUrl, dataDir, entities, migrations }));
        databases.set(name, opened);
      }
      return opened;
    };

    const adminKey = base.ADMIN_API_KEY;
    const query: CrashSystem['query'] = gatewayClient(gateway.url);
    return {
      gatewayUrl: gateway.url,
      simulatorUrl: simulator.url,
      adminKey,
      subgraphs,
      database,
      query,
      async seedMerchant(name = 'Crash merchant') {
        const result = await query<CreateMerchantResult>(adminKey, 'mutation($name: String!) { createMerchant(input: { name: $name }) { merchant { id } apiKey } }', { name });
        if (!result.data) throw new Error(`createMerchant failed: ${JSON.stringify(result.errors)}`);
        return { merchantId: result.data.createMerchant.merchant.id, apiKey: result.data.createMerchant.apiKey };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function restartableSubgraph(name: SubgraphName, env: Env, url: string, logDir: string): RestartableSubgraph {
  let running: ServiceProcess | null = null;
  const start = async (options: StartOptions = {}) => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) throw new Error(`${name} is already running`);
    running = await startServiceProcess(name, { ...env, ...options.env, PAYGRAPH_CRASH_AT: options.crashAt }, { logDir });
  };
  const log = () => {
    try {
        return readdirSync(logDir)
          .filter((file) => file.startsWith(`${name}-`))
          .map((file) => `--- ${file}\n${readFileSync(join(logDir, file), 'utf8')}`)
          .join('\n');
      } catch {
        return '';
      }
  };
  const exited = () => {
    if (!running) throw new Error(`${name} is not running`);
    return processExit(running.child);
  };
  return {
    name,
    url,
    current: () => running,
    start,
    exited,
    async startToDie(crashAt, startEnv) {
      try {
        await start({ crashAt, env: startEnv });
      } catch (error) {
        if (error instanceof ServiceProcessExited) return error.exit;
        throw error;
      }
      return dyingWithin(exited(), `${name} did not die at ${crashAt}`, log);
    },
    async stop() {
      await running?.stop();
      running = null;
    },
    log,
  };
}

/** How long a process armed with a crash point may take to reach it and die, on a loaded machine. */
const DEATH_TIMEOUT_MS = 60_000;

/** The exit, or after the deadline an error naming what did not happen, with the process's log. */
export async function dyingWithin(exit: Promise<ProcessExit>, what: string, log: () => string): Promise<ProcessExit> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${DEATH_TIMEOUT_MS} ms:\n${log()}`)), DEATH_TIMEOUT_MS);
  });
  try {
    return await Promise.race([exit, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

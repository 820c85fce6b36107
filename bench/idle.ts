/**
 * The cost of doing nothing: the whole system as separate processes on PostgreSQL and Redis, left idle
 * after start-up. Every second for BENCH_SECONDS (default 20) prints each service's CPU (ms per second)
 * and each subgraph's SQL statements, then the averages, with the load average.
 */
import { loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { startPostgresCluster } from '../tools/postgres-cluster.js';
import { redisServerAvailable, startRedisServer } from '../tools/redis-server.js';
import { SERVICES, type Service } from '../system/topology.js';
import { startProcessSystem, type ProcessSystem } from '../system/processes.js';
import { processCpuMs } from './cpu.js';
import { processOptions, serviceEnv } from './service-env.js';
import { logStatementsOf, STATEMENT_LOG_SETTINGS, statementsBetween, type StatementCounts } from './statement-log.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 20);
// start-up's own work (migrations, the consumers' first sweeps, Redis groups) ends within this
const settleMs = Number(process.env['BENCH_SETTLE_MS'] ?? 5_000);
const SUBGRAPHS = ['payment', 'accounting', 'transaction', 'analytics'] as const;

const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

export async function benchIdle(): Promise<void> {
  if (!redisServerAvailable()) throw new Error('redis-server is needed: the services exchange events through Redis when each runs alone');
  const cluster = await startPostgresCluster({ settings: STATEMENT_LOG_SETTINGS });
  const redis = await startRedisServer();
  let system: ProcessSystem | undefined;
  try {
    const databaseUrl = await cluster.createDatabase('paygraph');
    const statements = await logStatementsOf(cluster, databaseUrl);
    system = await startProcessSystem({ ...processOptions, env: { ...serviceEnv(databaseUrl), REDIS_URL: redis.url }, services: SERVICES });
    const processes = Object.entries(system.processes) as [Service, { child: { pid?: number } }][];
    console.log(`idle: ${processes.length} processes started; settling ${settleMs} ms, then ${seconds} s of samples`);
    await delay(settleMs);
    const cpu = () => Object.fromEntries(processes.map(([name, one]) => [name, processCpuMs(one.child.pid)]));
    const line = (label: string, cpuMs: Record<string, number>, sql: StatementCounts, per: number) =>
      `${label}  CPU ms/s ${processes.map(([name]) => `${name} ${((cpuMs[name] ?? 0) / per).toFixed(1)}`).join(', ')}` +
      `  |  SQL/s ${SUBGRAPHS.map((name) => `${name} ${((sql[name] ?? 0) / per).toFixed(1)}`).join(', ')}  |  load ${load()}`;
    const startCpu = cpu();
    const startSql = statements.counts();
    const started = performance.now();
    let lastCpu = startCpu;
    let lastSql = startSql;
    for (let second = 1; second <= seconds; second++) {
      await delay(started + second * 1000 - performance.now());
      const nowCpu = cpu();
      const nowSql = statements.counts();
      const cpuDelta = Object.fromEntries(Object.entries(nowCpu).map(([name, ms]) => [name, ms - (lastCpu[name] ?? 0)]));
      console.log(line(`${String(second).padStart(3)}s`, cpuDelta, statementsBetween(lastSql, nowSql), 1));
      lastCpu = nowCpu;
      lastSql = nowSql;
    }
    const elapsed = (performance.now() - started) / 1000;
    const cpuTotal = Object.fromEntries(Object.entries(lastCpu).map(([name, ms]) => [name, ms - (startCpu[name] ?? 0)]));
    const sqlTotal = statementsBetween(startSql, lastSql);
    console.log('');
    console.log(line('mean', cpuTotal, sqlTotal, elapsed));
    console.log(`statements in ${elapsed.toFixed(1)} s: ${JSON.stringify(sqlTotal)}`);
  } finally {
    await system?.stop();
    await redis.stop();
    await cluster.stop();
  }
}

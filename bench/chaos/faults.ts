/**
 * The faults, on a schedule across the run: kill -9 of each service in turn (restarted after a few
 * seconds), Redis killed and restarted (once with its data wiped), PostgreSQL restarted with
 * `-m immediate`. After each, the time until the system answers again, probed through the gateway.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { PostgresCluster } from '../../tools/postgres-cluster.js';
import type { RedisServer } from '../../tools/redis-server.js';
import { request } from './api.js';
import { probePayment, type FlowContext } from './flows.js';
import type { ChaosSystem } from './system.js';

export interface FaultRecord {
  at: number;
  what: string;
  /** ms from the fault until the probe answered; null: it never did within the deadline */
  recoveredAfterMs: number | null;
}

interface Fault {
  what: string;
  /** the fault itself: quick (a kill) */
  inject: () => Promise<void>;
  /** what an operator's automation does after it: starts the service again (after DOWNTIME_MS) */
  repair: () => Promise<void>;
  /** true once the system answers again what this fault took away */
  probe: () => Promise<boolean>;
}

const DOWNTIME_MS = 2_000;
const PROBE_DEADLINE_MS = 120_000;

export interface FaultTargets {
  system: ChaosSystem;
  redis: RedisServer;
  cluster: PostgresCluster;
  apiKey: string;
  probeContext: FlowContext;
}

function answers(url: string, apiKey: string, query: string, variables: Record<string, unknown> = {}) {
  return async () => (await request(`${url}/graphql`, apiKey, query, variables)).kind === 'data';
}

function eventsFlow(targets: FaultTargets, gatewayUrl: string) {
  return async () => {
    const id = await probePayment(targets.probeContext);
    if (!id) return false;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const answer = await request(`${gatewayUrl}/graphql`, targets.apiKey, 'query($id: ID!) { payment(id: $id) { transactions { id } } }', { id });
      const payment = answer.kind === 'data' ? (answer.data['payment'] as { transactions?: unknown[] } | null) : null;
      if (payment?.transactions?.length) return true;
      await delay(250);
    }
    return false;
  };
}

function faultPlan(targets: FaultTargets): Fault[] {
  const { system, apiKey } = targets;
  const gateway = system.gatewayUrls[0]!;
  const kill = (name: string, probe: () => Promise<boolean>): Fault => ({
    what: `kill -9 ${name}`,
    inject: () => system.byName(name).kill(),
    repair: () => system.byName(name).start(),
    probe,
  });
  const nothing = async () => undefined;
  const payments = answers(gateway, apiKey, '{ payments(first: 1) { edges { cursor } } }');
  const balance = answers(gateway, apiKey, '{ viewer { merchant { balance { available { amount } } } } }');
  const transactions = answers(gateway, apiKey, '{ transactions(first: 1) { edges { cursor } } }');
  const metrics = answers(gateway, apiKey, 'query($from: DateTime!, $to: DateTime!) { metrics(query: { measures: [PAYMENT_COUNT], from: $from, to: $to }) { rows { values { value } } } }', {
    from: new Date(Date.now() - 86_400_000).toISOString(),
    to: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const gateways = system.services.filter((one) => one.service === 'gateway');
  return [
    kill('payment', payments),
    { what: 'redis SIGKILL + restart', inject: () => targets.redis.kill(), repair: () => targets.redis.restart(), probe: eventsFlow(targets, gateway) },
    kill('accounting', balance),
    { what: 'postgresql restart -m immediate', inject: () => targets.cluster.restart(), repair: nothing, probe: async () => (await payments()) && (await transactions()) },
    kill('transaction', transactions),
    kill('payment', payments),
    kill('analytics', metrics),
    ...gateways.slice(0, 1).map((one) => kill(one.name, answers(one.url, apiKey, '{ viewer { role } }'))),
    { what: 'redis SIGKILL + restart with its data wiped', inject: () => targets.redis.kill(), repair: () => targets.redis.restart({ wipe: true }), probe: eventsFlow(targets, gateway) },
    ...gateways.slice(1).map((one) => kill(one.name, answers(one.url, apiKey, '{ viewer { role } }'))),
    kill('payment', payments),
  ];
}

/**
 * Runs the plan spread over [10 %, 85 %] of the load's seconds. A fault waits for the previous one's
 * repair (the killed service started again), not for its probe: one thing is down at a time, and on
 * a loaded machine, where a restart outlasts the spacing, later faults come late (those due after the
 * load are not injected). Resolves when every fault has recovered or its probe gave up.
 */
export async function runFaults(targets: FaultTargets, options: { seconds: number; startedAt: number; log: (line: string) => void; stopped: () => boolean }): Promise<{ planned: number; records: FaultRecord[] }> {
  const plan = faultPlan(targets);
  const recoveries: Promise<FaultRecord>[] = [];
  const first = options.seconds * 100;
  const spacing = (options.seconds * 750) / Math.max(1, plan.length - 1);
  let repaired: Promise<unknown> = Promise.resolve();
  for (const [index, fault] of plan.entries()) {
    const due = options.startedAt + first + index * spacing;
    if (Date.now() < due) await delay(due - Date.now());
    await repaired;
    if (options.stopped()) break;
    const at = Date.now();
    options.log(`fault: ${fault.what}`);
    try {
      await fault.inject();
    } catch (error) {
      options.log(`fault ${fault.what} failed: ${(error as Error).message.split('\n')[0]}`);
    }
    const repair = delay(DOWNTIME_MS).then(() => fault.repair()).catch((error: unknown) => options.log(`${fault.what}: repair failed: ${String(error).split('\n')[0]}`));
    repaired = repair;
    recoveries.push(recover(fault, at, repair, options.log));
  }
  return { planned: plan.length, records: await Promise.all(recoveries) };
}

async function recover(fault: Fault, at: number, repaired: Promise<unknown>, log: (line: string) => void): Promise<FaultRecord> {
  await repaired;
  let recoveredAfterMs: number | null = null;
  while (Date.now() - at < PROBE_DEADLINE_MS) {
    if (await fault.probe().catch(() => false)) {
      recoveredAfterMs = Date.now() - at;
      break;
    }
    await delay(250);
  }
  log(recoveredAfterMs === null ? `${fault.what}: the system did not answer again within ${PROBE_DEADLINE_MS / 1000} s` : `${fault.what}: answering again after ${(recoveredAfterMs / 1000).toFixed(1)} s`);
  return { at, what: fault.what, recoveredAfterMs };
}

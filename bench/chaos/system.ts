/**
 * The chaos run's system: every service its own Node process on a port fixed for the whole run, so
 * that a service killed with SIGKILL comes back where the others (and the clients) expect it. A
 * supervisor restarts a process that dies without being told to (as systemd or Kubernetes would)
 * and counts it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Env } from '../../lib/config-loader.js';
import { startServiceProcess, type ServiceProcess } from '../../system/processes.js';
import { serviceEnv, type Service, type ServiceUrls } from '../../system/topology.js';
import { freePort } from '../../tools/free-port.js';

/** Each service's port variable. */
const PORT_VARIABLE: Record<Service, string> = {
  'card-simulator': 'CARD_SIMULATOR_PORT',
  'alipay-simulator': 'ALIPAY_SIMULATOR_PORT',
  'wechat-pay-simulator': 'WECHATPAY_SIMULATOR_PORT',
  payment: 'PAYMENT_PORT',
  accounting: 'ACCOUNTING_PORT',
  transaction: 'TRANSACTION_PORT',
  analytics: 'ANALYTICS_PORT',
  gateway: 'PORT',
};

export interface SupervisedService {
  /** e.g. payment, gateway-2 */
  name: string;
  service: Service;
  /** the URL it announced (the Alipay simulator's: its OpenAPI gateway) */
  url: string;
  pid(): number | undefined;
  up(): boolean;
  /** SIGKILL, and no restart until `start` */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** exits nobody asked for (each restarted by the supervisor) */
  unplannedExits(): number;
}

interface Supervised extends SupervisedService {
  /** SIGTERM at the end of the run, no restart */
  stopNow(): Promise<void>;
}

export interface ChaosSystem {
  services: SupervisedService[];
  byName(name: string): SupervisedService;
  gatewayUrls: string[];
  stop(): Promise<void>;
}

async function supervise(
  name: string,
  service: Service,
  env: Env,
  options: { logDir: string | undefined; log: (line: string) => void },
): Promise<Supervised> {
  let current: ServiceProcess | null = null;
  let wanted = true;
  let unplanned = 0;
  let stopping = false;
  const launch = async (): Promise<ServiceProcess> => {
    const one = await startServiceProcess(service, env, { logDir: options.logDir });
    one.child.once('exit', (code, signal) => {
      if (current !== one) return;
      current = null;
      if (!wanted || stopping) return;
      unplanned++;
      options.log(`${name} exited on its own (${signal ?? `code ${code}`}); the supervisor restarts it`);
      void restartUntilUp();
    });
    current = one;
    return one;
  };
  const restartUntilUp = async () => {
    for (let attempt = 0; wanted && !stopping && current === null; attempt++) {
      await delay(Math.min(5_000, 500 * 2 ** attempt));
      if (!wanted || stopping || current !== null) return;
      try {
        await launch();
      } catch (error) {
        options.log(`${name} did not start again: ${(error as Error).message.split('\n').slice(0, 3).join(' | ')}`);
      }
    }
  };
  const first = await launch();
  return {
    name,
    service,
    url: first.url,
    pid: () => current?.child.pid,
    up: () => current !== null,
    async kill() {
      wanted = false;
      const one = current;
      current = null;
      if (!one || one.child.exitCode !== null || one.child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => one.child.once('exit', () => resolve()));
      one.child.kill('SIGKILL');
      await exited;
    },
    async start() {
      wanted = true;
      if (current) return;
      try {
        await launch();
      } catch (error) {
        options.log(`${name} did not start: ${(error as Error).message.split('\n').slice(0, 3).join(' | ')}; retrying`);
        await restartUntilUp();
      }
    },
    unplannedExits: () => unplanned,
    async stopNow() {
      stopping = true;
      await current?.stop();
    },
  };
}

export async function startChaosSystem(options: {
  env: Env;
  gateways: number;
  logDir: string | undefined;
  log: (line: string) => void;
}): Promise<ChaosSystem> {
  const started: Supervised[] = [];
  const urls: ServiceUrls = {};
  const stop = async () => {
    for (const one of started.splice(0).reverse()) await one.stopNow();
  };
  const plan: { name: string; service: Service }[] = [
    { name: 'card-simulator', service: 'card-simulator' },
    { name: 'alipay-simulator', service: 'alipay-simulator' },
    { name: 'wechat-pay-simulator', service: 'wechat-pay-simulator' },
    { name: 'payment', service: 'payment' },
    { name: 'accounting', service: 'accounting' },
    { name: 'transaction', service: 'transaction' },
    { name: 'analytics', service: 'analytics' },
    ...Array.from({ length: options.gateways }, (_, i) => ({ name: `gateway-${i + 1}`, service: 'gateway' as const })),
  ];
  try {
    // what does not call each other starts together: a faster start on 2 cores
    for (const group of [plan.slice(0, 3), plan.slice(3, 4), plan.slice(4, 5), plan.slice(5, 7), plan.slice(7)]) {
      const links = { ...urls };
      const ones = await Promise.all(
        group.map(async ({ name, service }) => {
          const env = serviceEnv(service, { ...options.env, [PORT_VARIABLE[service]]: String(await freePort()) }, links);
          return supervise(name, service, env, options);
        }),
      );
      for (const one of ones) {
        started.push(one);
        urls[one.service] ??= one.url;
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const services = [...started];
  return {
    services,
    byName(name) {
      const found = services.find((one) => one.name === name);
      if (!found) throw new Error(`no service ${name}`);
      return found;
    },
    gatewayUrls: services.filter((one) => one.service === 'gateway').map((one) => one.url),
    stop,
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../lib/config-loader.js';
import { serviceEnv, SERVICES, type Service, type ServiceUrls } from './topology.js';

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** Each service's entry point (scripts/) and the line it prints once it listens, naming its URL. */
const ENTRY_POINTS: Record<Service, { script: string; args: string[]; announces: RegExp }> = {
  'card-simulator': { script: 'scripts/start-simulator.ts', args: ['card'], announces: /card simulator (http:\/\/\S+)/ },
  'alipay-simulator': { script: 'scripts/start-simulator.ts', args: ['alipay'], announces: /alipay simulator (http:\/\/\S+)/ },
  'wechat-pay-simulator': { script: 'scripts/start-simulator.ts', args: ['wechat'], announces: /wechat simulator (http:\/\/\S+)/ },
  payment: { script: 'scripts/start-subgraph.ts', args: ['payment'], announces: /payment subgraph (http:\/\/\S+)\/graphql/ },
  accounting: { script: 'scripts/start-subgraph.ts', args: ['accounting'], announces: /accounting subgraph (http:\/\/\S+)\/graphql/ },
  transaction: { script: 'scripts/start-subgraph.ts', args: ['transaction'], announces: /transaction subgraph (http:\/\/\S+)\/graphql/ },
  analytics: { script: 'scripts/start-subgraph.ts', args: ['analytics'], announces: /analytics subgraph (http:\/\/\S+)\/graphql/ },
  gateway: { script: 'scripts/start-gateway.ts', args: [], announces: /gateway (http:\/\/\S+)\/graphql/ },
};

/** Run from the build (dist/system/processes.js), services start from their compiled scripts with plain node; else through tsx. */
const compiled = import.meta.url.endsWith('.js');
const entryArgs = (script: string) => (compiled ? ['--enable-source-maps', fileURLToPath(new URL(`../${script.replace(/\.ts$/, '.js')}`, import.meta.url))] : ['--import', 'tsx', script]);

/** A service process that exited before it announced its URL, e.g. killed by a crash point it passed while starting. */
export class ServiceProcessExited extends Error {
  constructor(
    readonly service: Service,
    readonly exit: ProcessExit,
    readonly output: string,
  ) {
    super(`${service} exited with ${exit.code ?? exit.signal}:\n${output}`);
  }
}

export interface ProcessOptions {
  /** writes a V8 CPU profile of each process there when it stops */
  profileDir?: string;
  /** keeps each process's output there */
  logDir?: string;
}

/** Starts one service as its own Node process and waits for the line that names its URL. */
export function startServiceProcess(service: Service, env: Env, options: ProcessOptions = {}): Promise<ServiceProcess> {
  const { script, args, announces } = ENTRY_POINTS[service];
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, ...entryArgs(script), ...args], {
    env: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${service} did not start:\n${output}`));
    }, 60_000);
    let announced = false;
    const onData = (chunk: Buffer) => {
      if (options.logDir) appendFileSync(join(options.logDir, `${service}-${child.pid}.log`), chunk);
      // once it listens, its output goes to the log only (a long run would otherwise keep all of it)
      if (announced) return;
      output += chunk.toString();
      const match = announces.exec(output);
      if (match) {
        announced = true;
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => reject(new ServiceProcessExited(service, { code, signal }, output)));
  });
}

/** How a child process ended: its exit code, or the signal that killed it (e.g. SIGKILL from a crash point). */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves once the child has exited (at once when it already has). */
export function processExit(child: ChildProcess): Promise<ProcessExit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export interface ProcessSystemOptions extends ProcessOptions {
  /** the environment of every process (each also gets the URLs of the services it calls) */
  env: Env;
  /** the services to start; they start in the topology's order */
  services: readonly Service[];
  /** a service's environment beyond the system's, e.g. the gateway's MAX_SUBSCRIPTIONS_PER_KEY */
  envOf?: Partial<Record<Service, Env>>;
  /** what the services started later are given instead of a service's URL (e.g. a proxy that counts requests) */
  reachVia?: Partial<Record<Service, (url: string) => Promise<string>>>;
}

export interface ProcessSystem {
  processes: Partial<Record<Service, ServiceProcess>>;
  /** stops every process, the last started first */
  stop: () => Promise<void>;
}

/** Some of the system's services, each its own process (the benchmarks); if one fails to start, those started are stopped. */
export async function startProcessSystem(options: ProcessSystemOptions): Promise<ProcessSystem> {
  const processes: ProcessSystem['processes'] = {};
  const started: ServiceProcess[] = [];
  const stop = async () => {
    for (const one of started.splice(0).reverse()) await one.stop();
  };
  const urls: ServiceUrls = {};
  try {
    for (const service of SERVICES.filter((name) => options.services.includes(name))) {
      const one = await startServiceProcess(service, serviceEnv(service, { ...options.env, ...options.envOf?.[service] }, urls), options);
      started.push(one);
      processes[service] = one;
      const via = options.reachVia?.[service];
      urls[service] = via ? await via(one.url) : one.url;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { processes, stop };
}

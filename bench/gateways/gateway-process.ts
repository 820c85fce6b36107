import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Env } from '../../lib/config-loader.js';
import type { ProcessOptions } from '../../system/processes.js';

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** Starts a comparison gateway's script (bench/gateways/) as its own Node process, resolved once it prints its URL. */
export function startGatewayProcess(script: string, env: Env, options: ProcessOptions = {}): Promise<GatewayProcess> {
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
    env: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.logDir) appendFileSync(join(options.logDir, `${basename(script, '.ts')}-${child.pid}.log`), chunk);
      const match = /gateway (http:\/\/\S+\/graphql)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const stop = () =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        });
      resolve({ url: match[1]!, child, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code ?? signal}:\n${output}`));
    });
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** Starts a service as its own Node process and waits for the line that names its URL. */
export function startService(script: string, args: string[], env: Record<string, string>, urlPattern: RegExp): Promise<ServiceProcess> {
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of each service there when it stops.
  const profile = process.env['BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE']}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // BENCH_LOGS=<dir> keeps each service's output there
      if (process.env['BENCH_LOGS']) appendFileSync(join(process.env['BENCH_LOGS'], `${basename(script, '.ts')}-${child.pid}.log`), chunk);
      const match = urlPattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          child,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
}

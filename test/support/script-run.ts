import { spawn } from 'node:child_process';
import type { Env } from '../../lib/config-loader.js';

/** How a script run as its own process ended: its exit code and what it wrote to stderr. */
export interface ScriptRun {
  code: number | null;
  stderr: string;
}

/**
 * Runs `npx tsx <script>` as `npm start` would, with this shell's environment (PATH, HOME…) minus
 * DATABASE_URL and REDIS_URL, plus `env`; resolves once it exits.
 */
export function runScript(script: string, env: Env): Promise<ScriptRun> {
  const merged = Object.fromEntries(
    Object.entries<string | undefined>({ ...process.env, DATABASE_URL: undefined, REDIS_URL: undefined, ...env }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: merged, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

/** A process's stderr without Node's own warnings (e.g. of a library looking for cloud metadata). */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !/^\(node:\d+\) \w*Warning|^\(Use `node --trace-warnings/.test(line));
}

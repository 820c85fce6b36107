import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** pgbench's built-in TPC-B-like transaction against the same server, for a yardstick measured in the same run. */
export function pgbenchTps(bin: string, databaseUrl: string, seconds: number, clients: number): number {
  const url = new URL(databaseUrl);
  const args = ['-h', url.hostname, '-p', url.port, '-U', url.username || 'postgres'];
  const database = url.pathname.slice(1);
  execFileSync(join(bin, 'pgbench'), [...args, '-i', '-s', '10', '-q', database], { stdio: 'pipe' });
  const output = execFileSync(join(bin, 'pgbench'), [...args, '-c', String(clients), '-j', '2', '-T', String(seconds), '-M', 'prepared', database], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const match = /tps = ([\d.]+)/.exec(output);
  if (!match) throw new Error(`pgbench printed no tps:\n${output}`);
  return Number(match[1]);
}

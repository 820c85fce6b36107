import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, chmodSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** A throwaway PostgreSQL cluster: initdb into a temporary directory, started on a free port. */
export interface PostgresCluster {
  /** postgres://…/postgres */
  url: string;
  /** the server's log (what it writes to stderr) */
  logFile: string;
  /** creates an empty database and returns its URL */
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl restart -m immediate`: every backend dies as in a crash, the server recovers from its WAL on the same port */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function findPostgresBin(): string | null {
  const fromPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (fromPath) return join(realpathSync(fromPath), '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'initdb'))) return bin;
  }
  return null;
}


const isRoot = process.getuid?.() === 0;

/** initdb refuses root: as root, run the server's tools as the `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function run(command: string, args: string[]): void {
  const [cmd, cmdArgs] = asServerUser(command, args);
  const result = spawnSync(cmd, cmdArgs, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
}

/** `run` without blocking this process's event loop while the command runs (callers keep serving meanwhile). */
function runInBackground(command: string, args: string[]): Promise<void> {
  const [cmd, cmdArgs] = asServerUser(command, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed: ${output}`))));
  });
}

export interface PostgresClusterOptions {
  /** server settings beyond the defaults, each `-c name=value` as the shell reads it (quote what holds spaces or `|`) */
  settings?: Record<string, string>;
}

export async function startPostgresCluster(clusterOptions: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL binaries not found (PATH or /usr/lib/postgresql/*/bin)');
  const dir = mkdtempSync(join(tmpdir(), 'paygraph-pg-'));
  chmodSync(dir, 0o777);
  const dataDir = join(dir, 'data');
  if (isRoot) spawnSync('chown', ['postgres', dir]);
  const logFile = join(dir, 'server.log');
  let port: number;
  let options: string;
  try {
    run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
    port = await freePort();
    options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    for (const [name, value] of Object.entries(clusterOptions.settings ?? {})) options += ` -c ${name}=${value}`;
    run(join(bin, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', logFile, '-w', 'start']);
  } catch (error) {
    // pg_ctl only says "could not start server": the reason is in the server's log.
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      const [cmd, cmdArgs] = asServerUser(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      spawnSync(cmd, cmdArgs);
    }
    rmSync(dir, { recursive: true, force: true });
    throw log ? new Error(`${(error as Error).message}\nserver log:\n${log}`, { cause: error }) : error;
  }
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const adminQuery = async (sql: string) => {
    const client = new pg.Client({ connectionString: `${base}/postgres` });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    url: `${base}/postgres`,
    logFile,
    async createDatabase(name) {
      await adminQuery(`create database "${name}"`);
      return `${base}/${name}`;
    },
    async restart() {
      await runInBackground(join(bin, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', logFile, '-m', 'immediate', '-w', 'restart']);
    },
    async stop() {
      try {
        run(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

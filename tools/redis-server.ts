import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from './free-port.js';

function findRedisServer(): string | null {
  const fromPath = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (fromPath) return fromPath;
  return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path)) ?? null;
}

export function redisServerAvailable(): boolean {
  return findRedisServer() !== null;
}

/** In CI the Redis suites must run, so a missing redis-server is an error there rather than a skip. */
export function redisServerRequired(): boolean {
  return process.env.CI === 'true';
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      // PONG once loaded; -LOADING while it replays its append-only file
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

export interface RedisServerOptions {
  /** aof (default): the append-only file, fsynced every second, as production should run it; none: memory only */
  persistence?: 'aof' | 'none';
}

export interface RedisServer {
  url: string;
  /** kills it and deletes its data */
  stop: () => Promise<void>;
  /** SIGKILL, as a crash: what was not yet on disk is lost */
  kill: () => Promise<void>;
  /** starts it again on the same port and data directory (wipe: emptied first, as a loss of its data) and waits until it answers PING */
  restart: (options?: { wipe?: boolean }) => Promise<void>;
}

/** A throwaway redis-server on a free port of 127.0.0.1, its data in a temporary directory. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const bin = findRedisServer();
  if (!bin) throw new Error('redis-server not found on PATH: install it (apt-get install redis-server)');
  const dir = mkdtempSync(join(tmpdir(), 'paygraph-redis-'));
  const port = await freePort();
  const persistence = options.persistence === 'none' ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', 'everysec'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir];
  let server: ChildProcess | null = null;
  let exited = Promise.resolve();

  const kill = async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exited;
    }
  };

  const start = async () => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 20_000;
    while (!(await ping(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await kill();
        throw new Error(`redis-server did not start on port ${port}:\n${output}`);
      }
      await delay(20);
    }
  };

  const stop = async () => {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    kill,
    restart: async (restartOptions = {}) => {
      await kill();
      if (restartOptions.wipe) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
      }
      await start();
    },
  };
}

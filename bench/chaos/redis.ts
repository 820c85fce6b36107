/**
 * Redis for the chaos run: append-only file on, as production should run it, and a server that can be
 * killed and restarted on the same port (with or without its data). It has the shape of
 * tools/redis-server.ts's `startRedisServer({ persistence: 'aof' })` as branch `backfill` changes it;
 * once that lands this adapter can go.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../../tools/free-port.js';

export interface RestartableRedis {
  url: string;
  stop(): Promise<void>;
  /** SIGKILL: the server dies on the spot */
  kill(): Promise<void>;
  /** starts it again on the same port; `wipe` deletes its data first (a lost disk) */
  restart(options?: { wipe?: boolean }): Promise<void>;
}

function redisBin(): string {
  const fromPath = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  const bin = fromPath || ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));
  if (!bin) throw new Error('redis-server not found on PATH: install it (apt-get install redis-server)');
  return bin;
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
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

export async function startDurableRedis(): Promise<RestartableRedis> {
  const bin = redisBin();
  const root = mkdtempSync(join(tmpdir(), 'paygraph-chaos-redis-'));
  const dir = join(root, 'data');
  const port = await freePort();
  let server: ChildProcess | null = null;

  const launch = async () => {
    mkdirSync(dir, { recursive: true });
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server = child;
    const deadline = Date.now() + 15_000;
    while (!(await ping(port))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}:\n${output}`);
      await delay(20);
    }
  };
  const kill = async () => {
    const child = server;
    server = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    kill,
    async restart(options = {}) {
      await kill();
      if (options.wipe) rmSync(dir, { recursive: true, force: true });
      await launch();
    },
    async stop() {
      await kill();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

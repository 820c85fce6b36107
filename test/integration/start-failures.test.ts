import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isolatedEnv } from '../../system/topology.js';
import { eventually } from '../support/eventually.js';
import { errorLines, runScript } from '../support/script-run.js';
import { startSystem } from '../support/system.js';

/** A port something of the test's own listens on. */
async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** A port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const { port, server } = await takenPort();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The servers this process listens with (none of another test file: each runs in its own worker). */
const listening = () => process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;

/** Only the test's own servers listen (a closed server's handle goes a moment after its close completes). */
const noneLeft = () => eventually(listening, (count) => count === blockers.length, { what: `only the test's ${blockers.length} server(s) listening`, timeoutMs: 10_000 });

async function startFailure(env: Record<string, string>): Promise<string> {
  try {
    const system = await startSystem({ env });
    await system.stop();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('the system started');
}

const blockers: Server[] = [];
afterEach(async () => {
  for (const server of blockers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('start-up failures name the service, the variable and what to do, and leave nothing running', () => {
  it("the gateway's port in use, after the subgraphs started: all are closed", async () => {
    const { port, server } = await takenPort();
    blockers.push(server);
    expect(await startFailure({ PORT: String(port) })).toBe(`gateway: PORT ${port} is in use: stop what uses it or set PORT`);
    await noneLeft();
  });

  it("a subgraph's port in use", async () => {
    const { port, server } = await takenPort();
    blockers.push(server);
    expect(await startFailure({ ACCOUNTING_PORT: String(port) })).toBe(`accounting: ACCOUNTING_PORT ${port} is in use: stop what uses it or set ACCOUNTING_PORT`);
    await noneLeft();
  });

  it('PostgreSQL unreachable: its address without the password', async () => {
    const port = await closedPort();
    const message = await startFailure({ DATABASE_URL: `postgres://paygraph:s3cret-pw@127.0.0.1:${port}/paygraph` });
    expect(message).toBe(
      `payment: cannot reach PostgreSQL at DATABASE_URL (127.0.0.1:${port}/paygraph, password hidden): connect ECONNREFUSED 127.0.0.1:${port}; start PostgreSQL or correct DATABASE_URL`,
    );
    expect(message).not.toContain('s3cret');
    await noneLeft();
  });

  it('Redis unreachable', async () => {
    const port = await closedPort();
    const message = await startFailure({ REDIS_URL: `redis://:s3cret-pw@127.0.0.1:${port}` });
    expect(message).toMatch(new RegExp(`^events: cannot reach Redis at REDIS_URL \\(127\\.0\\.0\\.1:${port}, password hidden\\): connect ECONNREFUSED 127\\.0\\.0\\.1:${port}; start Redis or correct REDIS_URL`));
    expect(message).not.toContain('s3cret');
    await noneLeft();
  });

  it('`npm start` with the gateway port taken exits 1 with one line, no stack trace', async () => {
    const { port, server } = await takenPort();
    blockers.push(server);
    const dataDir = mkdtempSync(join(tmpdir(), 'paygraph-start-'));
    try {
      const run = await runScript('scripts/start.ts', { ...isolatedEnv(), DATA_DIR: dataDir, PORT: String(port) });
      expect(run.code).toBe(1);
      expect(errorLines(run.stderr)).toEqual([`gateway: PORT ${port} is in use: stop what uses it or set PORT`]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

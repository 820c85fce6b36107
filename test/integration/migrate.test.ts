import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectOf, openDatabase } from '../../lib/database.js';
import { PendingMigrationsError } from '../../lib/migrations.js';
import { migrate, migrateTargets, SUBGRAPHS, type MigrateTargets } from '../../scripts/migrate-command.js';
import { subgraphModules, type SubgraphName } from '../../system/subgraphs.js';
import { freshDatabaseUrl } from '../support/database.js';

let dataDir: string;
let databaseUrl: string | undefined;
let targets: MigrateTargets;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paygraph-migrate-'));
  databaseUrl = await freshDatabaseUrl();
  targets = migrateTargets({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const migrationNames = async (name: SubgraphName) => (await subgraphModules[name]()).migrations[dialectOf(databaseUrl)].map((m) => m.name);

async function run(command: 'status' | 'up', subgraphs: readonly SubgraphName[] = SUBGRAPHS) {
  const lines: string[] = [];
  const pending = await migrate(command, subgraphs, targets, (line) => lines.push(line));
  return { pending, lines };
}

/** Opens the subgraph's database as a subgraph started with MIGRATE_ON_START=false does. */
const openRequiringMigrated = async (name: SubgraphName) =>
  openDatabase({ name, databaseUrl, dataDir, migrate: 'require', ...(await subgraphModules[name]()) });

describe('npm run migrate', () => {
  it('status on an empty database lists every migration of every subgraph as pending, and applies none', async () => {
    const { pending, lines } = await run('status');
    let total = 0;
    for (const name of SUBGRAPHS) {
      const names = await migrationNames(name);
      total += names.length;
      const start = lines.findIndex((line) => line.startsWith(`${name} (`));
      expect(lines[start]).toContain(databaseUrl ? `schema ${name}` : join(dataDir, `${name}.sqlite`));
      expect(lines.slice(start + 1, start + 1 + names.length)).toEqual(names.map((migration) => `  pending   ${migration}`));
      expect(lines[start + 1 + names.length]).toBe(`  0 executed, ${names.length} pending`);
    }
    expect(pending).toBe(total);
    expect((await run('status')).pending).toBe(total);
  });

  it('a subgraph started with MIGRATE_ON_START=false refuses a database that is behind, naming the command to run', async () => {
    const refused = await openRequiringMigrated('payment').then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(PendingMigrationsError);
    expect((refused as Error).message).toContain('node dist/scripts/migrate.js up payment');
  });

  it('up applies one subgraph pending migrations once; on PostgreSQL even with two runs at the same moment (they take turns)', async () => {
    const names = await migrationNames('payment');
    // SQLite is one process's file: no two migrators at once there
    const [first, second] = databaseUrl
      ? await Promise.all([run('up', ['payment']), run('up', ['payment'])])
      : [await run('up', ['payment']), await run('up', ['payment'])];
    const applied = [...first.lines, ...second.lines].filter((line) => line.startsWith('  applied '));
    expect(applied.map((line) => line.trim().split(/\s+/)[1])).toEqual(names);
    expect([first.pending, second.pending]).toEqual([0, 0]);
    expect([first.lines.at(-1), second.lines.at(-1)]).toEqual([`  ${names.length} executed, 0 pending`, `  ${names.length} executed, 0 pending`]);
    const database = await openRequiringMigrated('payment');
    await database.close();
  });

  it('up without a subgraph migrates the others; status then lists each executed migration with its time', async () => {
    const { pending, lines } = await run('up');
    expect(pending).toBe(0);
    const section = (name: SubgraphName) => {
      const start = lines.findIndex((line) => line.startsWith(`${name} (`));
      const end = lines.findIndex((line, index) => index > start && !line.startsWith('  '));
      return lines.slice(start + 1, end === -1 ? undefined : end);
    };
    expect(section('payment')).toEqual([`  ${(await migrationNames('payment')).length} executed, 0 pending`]);
    for (const name of SUBGRAPHS.filter((one) => one !== 'payment')) {
      expect(section(name).filter((line) => line.startsWith('  applied '))).toHaveLength((await migrationNames(name)).length);
    }
    const status = await run('status');
    expect(status.pending).toBe(0);
    for (const name of SUBGRAPHS) {
      const names = await migrationNames(name);
      const start = status.lines.findIndex((line) => line.startsWith(`${name} (`));
      const executed = status.lines.slice(start + 1, start + 1 + names.length);
      expect(executed.map((line) => line.trim().split(/\s+/)[1])).toEqual(names);
      for (const line of executed) expect(Date.parse(line.trim().split(/\s+/)[2]!)).toBeGreaterThan(Date.now() - 3_600_000);
      expect(status.lines[start + 1 + names.length]).toBe(`  ${names.length} executed, 0 pending`);
    }
  });
});

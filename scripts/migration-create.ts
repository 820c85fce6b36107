/**
 * Creates the next migration of a subgraph for both databases from the difference between its
 * entities and its existing migrations: `npm run migration:create -- <subgraph>`.
 * SQLite runs in a temporary file; PostgreSQL in a throwaway cluster (or MIGRATION_DATABASE_URL).
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, type Dialect } from '../lib/database.js';
import { startPostgresCluster } from '../tools/postgres-cluster.js';
import { subgraphModules, isSubgraphName } from '../system/subgraphs.js';

const name = process.argv[2] ?? '';
if (!isSubgraphName(name)) {
  console.error(`usage: npm run migration:create -- <${Object.keys(subgraphModules).join('|')}>`);
  process.exit(2);
}
const { entities, migrations } = await subgraphModules[name]();

function writeIndex(dir: string): void {
  const files = readdirSync(dir).filter((f) => /^Migration\d+.*\.ts$/.test(f)).sort();
  const names = files.map((f) => f.replace(/\.ts$/, ''));
  const lines = [
    '// Written by scripts/migration-create.ts: the migrations of this database, in order.',
    "import type { MigrationObject } from '@mikro-orm/core';",
    ...names.map((n) => `import { ${n} } from './${n}.js';`),
    '',
    'export const migrations: MigrationObject[] = [',
    ...names.map((n) => `  { name: '${n}', class: ${n} },`),
    '];',
    '',
  ];
  writeFileSync(join(dir, 'index.ts'), lines.join('\n'));
}

async function create(dialect: Dialect, databaseUrl: string | undefined): Promise<void> {
  const dir = resolve('subgraphs', name, 'migrations', dialect);
  const db = await openDatabase({
    name,
    databaseUrl,
    dataDir: mkdtempSync(join(tmpdir(), 'paygraph-migrate-')),
    entities,
    migrations,
    migrationsPath: dir,
  });
  try {
    const result = await db.orm.getMigrator().createMigration(dir);
    console.log(result.fileName ? `${dialect}: wrote ${result.fileName}` : `${dialect}: no changes`);
  } finally {
    await db.close();
  }
  writeIndex(dir);
}

await create('sqlite', undefined);
const cluster = process.env['MIGRATION_DATABASE_URL'] ? null : await startPostgresCluster();
try {
  const url = process.env['MIGRATION_DATABASE_URL'] ?? (await cluster!.createDatabase('migrations'));
  await create('postgresql', url);
} finally {
  await cluster?.stop();
}

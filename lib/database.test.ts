import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from './database.js';

const root = mkdtempSync(join(tmpdir(), 'paygraph-database-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('SQLite: DATA_DIR is created 0700, the database and its -wal and -shm files 0600, whatever the umask', async () => {
  const dataDir = join(root, 'data');
  const previous = process.umask(0o000);
  try {
    const database = await openDatabase({ name: 'modes', databaseUrl: undefined, dataDir, entities: [], migrations: { sqlite: [], postgresql: [] } });
    await database.orm.em.getConnection().execute('create table written (id integer primary key)');
    await database.orm.em.getConnection().execute('insert into written (id) values (1)');
    const files = readdirSync(dataDir).sort();
    expect(files).toEqual(['modes.sqlite', 'modes.sqlite-shm', 'modes.sqlite-wal']);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of files) expect({ file, mode: (statSync(join(dataDir, file)).mode & 0o777).toString(8) }).toEqual({ file, mode: '600' });
    await database.close();
  } finally {
    process.umask(previous);
  }
});

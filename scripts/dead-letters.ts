/**
 * `npm run dead-letters -- list <subgraph> [consumer]`: the events a consuming subgraph keeps as dead
 * letters (lib/events/dead-letters.ts), each aggregate's in order.
 * `npm run dead-letters -- replay <subgraph> [consumer | id…]`: marks them for replay; the running
 * subgraph replays them at its next sweep (EVENT_BACKFILL_INTERVAL) or when it starts, in order, once.
 * Reads the subgraph's database from DATABASE_URL or DATA_DIR, as the subgraph does.
 */
import { z } from 'zod';
import { parseEnv, subgraphEnv } from '../lib/config-loader.js';
import { openDatabase } from '../lib/database.js';
import { listDeadLetters, requestReplay } from '../lib/events/dead-letters.js';
import { isSubgraphName, subgraphModules } from '../system/subgraphs.js';
import { failStart } from './run-until-signal.js';

const [command, name = '', ...rest] = process.argv.slice(2);
const consuming = ['accounting', 'transaction', 'analytics'];
if ((command !== 'list' && command !== 'replay') || !isSubgraphName(name) || !consuming.includes(name)) {
  failStart(`usage: npm run dead-letters -- <list | replay> <${consuming.join(' | ')}> [consumer | id…]`);
}
const env = parseEnv('dead letters', z.object({ DATABASE_URL: subgraphEnv.DATABASE_URL, DATA_DIR: subgraphEnv.DATA_DIR }), process.env);
const ids = rest.filter((arg) => /^\d+$/.test(arg)).map(Number);
const consumer = rest.find((arg) => !/^\d+$/.test(arg));
const { entities, migrations } = await subgraphModules[name]();
const database = await openDatabase({ name, databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, entities, migrations });
try {
  if (command === 'list') {
    const rows = await listDeadLetters(database.fork(), { consumer });
    for (const row of rows) {
      const replay = row.replayRequestedAt ? ` (replay requested ${row.replayRequestedAt.toISOString()})` : '';
      console.log(`${row.id}\t${row.consumer}\t${row.eventId}\t${row.aggregateId} #${row.sequence}\t${row.type}\t${String(row.reason)}\t${row.deadAt.toISOString()}${replay}`);
      console.log(`\t${row.error.split('\n')[0]}`);
    }
    console.log(`${rows.length} dead letter(s)`);
  } else {
    const marked = await requestReplay(database.fork(), { consumer, ids: ids.length > 0 ? ids : undefined }, new Date());
    console.log(`${marked} dead letter(s) marked for replay: the ${name} subgraph replays them at its next sweep or start`);
  }
} finally {
  await database.close();
}

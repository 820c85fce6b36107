/**
 * `npm run migrate -- status [subgraph]`: each subgraph's executed and pending migrations (exit code 0).
 * `npm run migrate -- up [subgraph]`: applies the pending ones, each subgraph's in one transaction.
 * Without a subgraph: all four. Reads DATABASE_URL (or PAYMENT_DATABASE_URL, … for one subgraph) and
 * DATA_DIR, as the subgraphs do. On the build: `node dist/scripts/migrate.js up`.
 */
import { isSubgraphName } from '../system/subgraphs.js';
import { migrate, migrateTargets, SUBGRAPHS } from './migrate-command.js';
import { failStart } from './run-until-signal.js';

const [command, name] = process.argv.slice(2);
if ((command !== 'status' && command !== 'up') || (name !== undefined && !isSubgraphName(name))) {
  failStart(`usage: npm run migrate -- <status | up> [${SUBGRAPHS.join(' | ')}]`);
}
try {
  await migrate(command, name ? [name] : SUBGRAPHS, migrateTargets(process.env), (line) => console.log(line));
} catch (error) {
  failStart(error);
}

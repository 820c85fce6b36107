/**
 * `npm run seed -- --payments 1000000 [--merchants 200] [--months 6] [--seed 42] [--end <ISO time>]`:
 * fills the configured database (DATABASE_URL, or the SQLite files under DATA_DIR where `npm start`
 * keeps them) with realistic payments, refunds, transaction records and analytics, in bulk.
 */
import { loadSeedConfig } from './seed/config.js';
import { parseSeedOptions, USAGE } from './seed/options.js';
import { seed } from './seed/run.js';

let options;
let config;
try {
  options = parseSeedOptions(process.argv.slice(2), new Date());
  config = loadSeedConfig();
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
try {
  const summary = await seed(options, config, { log: (line) => console.error(line), progress: true });
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `SQLite in ${config.dataDir}`;
  console.log(`seeded ${where} in ${summary.seconds.toFixed(1)} s: ${summary.merchants} merchants, ${summary.payments.toLocaleString('en')} payments, ${summary.refunds.toLocaleString('en')} refunds, ${summary.transactions.toLocaleString('en')} transaction records`);
  console.log(`analytics rollups: ${summary.rollupRows.hourly.toLocaleString('en')} hourly rows, ${summary.rollupRows.daily.toLocaleString('en')} daily rows; payments created ${summary.from.toISOString()} to ${summary.to.toISOString()}`);
  console.log(`API keys (a MERCHANT key per merchant, one platform ANALYST key): ${summary.keysFile}`);
  console.log('ADMIN: the ADMIN_API_KEY the services run with (npm start prints one when it is not set)');
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
}

// Test projects: unit tests beside the code, and the black-box integration suite in test/integration,
// run once on SQLite and, where PostgreSQL is available, once more on PostgreSQL.
import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { SummaryReporter } from './test/reporters/summary.js';
import { findChromium } from './tools/chromium.js';
import { findPostgresBin } from './tools/postgres-cluster.js';

const integrationFiles = ['test/integration/**/*.test.ts'];

/** Integration files start servers and databases: generous timeouts, at most two files at once. */
const integration = {
  include: integrationFiles,
  // graphql-ws checks `instanceof GraphQLError`: run it through vite like our code, so that both load
  // the same copy of graphql (Node itself would give both the CommonJS build, as in production).
  server: { deps: { inline: ['graphql-ws'] } },
  testTimeout: 60_000,
  hookTimeout: 120_000,
  maxWorkers: 2,
} satisfies TestProjectInlineConfiguration['test'];

/** TEST_DATABASE_URL names a server to use; otherwise the global setup starts a throwaway cluster. */
const postgresAvailable = Boolean(process.env.TEST_DATABASE_URL) || findPostgresBin() !== null;

if (!postgresAvailable && process.env.CI === 'true') {
  throw new Error(
    'PostgreSQL is required in CI: install it (apt-get install postgresql) or set TEST_DATABASE_URL',
  );
}
console.log(
  postgresAvailable
    ? 'integration suites: sqlite, postgresql'
    : 'integration suites: sqlite only (PostgreSQL not found: install it or set TEST_DATABASE_URL)',
);

const projects: TestProjectInlineConfiguration[] = [
  {
    test: {
      name: 'unit',
      // Some unit tests start simulators and servers: a loaded 2-core machine needs more than 5 s.
      testTimeout: 30_000,
      hookTimeout: 60_000,
      include: [
        'lib/**/*.test.ts',
        'subgraphs/**/*.test.ts',
        'gateway/**/*.test.ts',
        'simulators/**/*.test.ts',
        'scripts/**/*.test.ts',
        'eslint-rules/**/*.test.js',
      ],
    },
  },
  {
    test: { ...integration, name: 'integration-sqlite', provide: { database: 'sqlite' } },
  },
];
if (postgresAvailable) {
  projects.push({
    test: {
      ...integration,
      name: 'integration-postgresql',
      provide: { database: 'postgresql' },
      globalSetup: ['test/setup/postgres.global.ts'],
    },
  });
}

/** The explorer's test drives Debian's chromium through playwright-core, on the embedded database. */
const chromium = findChromium();
if (!chromium && process.env.CI === 'true') {
  throw new Error('Chromium is required in CI for the browser tests: install it (apt-get install chromium)');
}
if (chromium) {
  const browser = { include: ['test/browser/**/*.test.ts'], server: integration.server, testTimeout: 60_000, hookTimeout: 120_000 };
  projects.push({ test: { ...browser, name: 'browser-sqlite', provide: { database: 'sqlite' } } });
  if (postgresAvailable) {
    projects.push({
      test: { ...browser, name: 'browser-postgresql', provide: { database: 'postgresql' }, globalSetup: ['test/setup/postgres.global.ts'] },
    });
  }
} else {
  console.log('browser tests skipped (chromium not found: install it with apt-get install chromium)');
}

export default defineConfig({
  test: {
    projects,
    maxWorkers: 2,
    // A loaded 2-core machine can take more than the default 10 s to stop a worker; the complaint
    // would otherwise print after the summary line, which CI reads as the last line.
    teardownTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
  },
});

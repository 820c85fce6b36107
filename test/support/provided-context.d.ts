// Values that vitest.config.ts and test/setup/postgres.global.ts provide to tests through `inject()`.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** which database the integration suite runs on in this project */
    database: 'sqlite' | 'postgresql';
    /** PostgreSQL only: an admin URL of the server in which each test file creates its own database */
    postgresUrl: string;
    /** PostgreSQL only: the prefix of every database this run creates, so teardown can drop them */
    databasePrefix: string;
  }
}

/**
 * A service that cannot start, said in one line a person can act on: the service, the variable
 * and what to do. `npm start` and the start scripts print only this message (no stack trace).
 */
export class StartFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartFailure';
  }
}

const codeOf = (error: unknown): string | undefined => {
  const { code } = (error ?? {}) as { code?: unknown };
  return typeof code === 'string' ? code : undefined;
};

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message.split('\n')[0]! : String(error));

/** What a bind error (server.listen) means for the service whose port `variable` sets. */
export function listenFailure(service: string, variable: string, port: number, host: string, error: unknown): Error {
  const code = codeOf(error);
  if (code === 'EADDRINUSE') return new StartFailure(`${service}: ${variable} ${port} is in use: stop what uses it or set ${variable}`, { cause: error });
  if (code === 'EACCES') return new StartFailure(`${service}: ${variable} ${port} needs privileges this process lacks: set ${variable} to 1024 or above`, { cause: error });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new StartFailure(`${service}: cannot listen on ${host}: it is no address of this machine; check the host variable`, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

/** host:port of a URL, its credentials left out. */
export function shownAddress(url: string, defaultPort: number): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || defaultPort}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
  } catch {
    return 'an unreadable URL';
  }
}

/** The error of opening a database or applying its migrations, told as what failed and where. */
export function databaseFailure(service: string, databaseUrl: string | undefined, error: unknown): Error {
  if (error instanceof StartFailure) return error;
  const migration = (error as { migration?: { name?: unknown } } | null)?.migration;
  if (error instanceof Error && error.name === 'MigrationError' && typeof migration?.name === 'string') {
    const cause = error.cause ?? error;
    return new StartFailure(`${service}: migration ${migration.name} failed: ${reasonOf(cause)}; the database is left as before it (migrations run in a transaction): fix the cause and start again`, { cause: error });
  }
  if (databaseUrl) {
    const where = shownAddress(databaseUrl, 5432);
    return new StartFailure(`${service}: cannot reach PostgreSQL at DATABASE_URL (${where}, password hidden): ${reasonOf(error)}; start PostgreSQL or correct DATABASE_URL`, { cause: error });
  }
  return new StartFailure(`${service}: cannot open its SQLite database under DATA_DIR: ${reasonOf(error)}; check that DATA_DIR is writable`, { cause: error });
}

/** Redis at REDIS_URL did not answer. */
export function redisFailure(service: string, redisUrl: string, error: unknown): StartFailure {
  return new StartFailure(`${service}: cannot reach Redis at REDIS_URL (${shownAddress(redisUrl, 6379)}, password hidden): ${reasonOf(error)}; start Redis or correct REDIS_URL (unset: events stay in this process)`, { cause: error });
}

/** The one line to print for an error that stopped a start: a StartFailure or a configuration error as they are, anything else with its message. */
export function startFailureMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import pg from 'pg';

/** Which relay of an outbox publishes now. */
export interface OutboxLeadership {
  /** whether this relay holds the lead now */
  leads(): boolean;
  /** tries to take the lead (resolves to whether this relay holds it) */
  claim(): Promise<boolean>;
  stop(): Promise<void>;
}

/** Without replicas to share with (SQLite: one process per database file), a relay always leads. */
export const soleLeadership: OutboxLeadership = { leads: () => true, claim: () => Promise.resolve(true), stop: () => Promise.resolve() };

/** The channel the outbox trigger of `schema` notifies (migrations of payment and accounting: `outbox_notify`). */
export const outboxChannel = (schema: string) => `paygraph_outbox_${schema}`;

export interface OutboxListenerOptions {
  connectionString: string;
  /** the subgraph's name: its schema (the channel) and the name its connection shows */
  schema: string;
  /** the advisory lock whose holder leads: held by this connection's session */
  lockName: string;
  /** a commit wrote outbox rows (the highest id its statement wrote) */
  onNotify: (lastId: number) => void;
  /** listening again (at start and after each reconnection): what was notified meanwhile is unknown */
  onListening: () => void;
  onError: (error: unknown) => void;
  /** receives each statement this connection runs (tests count them) */
  onQuery?: (sql: string) => void;
  /** first delay before reconnecting, doubled up to `maxReconnectDelayMs` */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

/**
 * A relay's own PostgreSQL connection: it LISTENs on its outbox's channel and its session holds the
 * advisory lock that makes its relay the one that publishes. A dropped connection is opened again with
 * backoff; the lock goes with the session, so while this relay is away another may take the lead.
 */
export function startOutboxListener(options: OutboxListenerOptions): OutboxLeadership {
  const firstDelay = options.reconnectDelayMs ?? 100;
  const maxDelay = options.maxReconnectDelayMs ?? 5_000;
  let client: pg.Client | null = null;
  let leading = false;
  let stopped = false;
  let delay = firstDelay;
  let reconnect: NodeJS.Timeout | null = null;
  let claiming: Promise<boolean> | null = null;

  const query = async <R extends pg.QueryResultRow>(on: pg.Client, sql: string, values: unknown[] = []) => {
    options.onQuery?.(sql);
    return on.query<R>(sql, values);
  };

  const tryLock = async (on: pg.Client): Promise<boolean> => {
    const result = await query<{ locked: boolean }>(on, 'select pg_try_advisory_lock(hashtext($1)) as locked', [options.lockName]);
    return result.rows[0]?.locked === true;
  };

  const drop = (from: pg.Client, error?: unknown) => {
    if (client !== from) return;
    client = null;
    leading = false;
    if (error && !stopped) options.onError(error);
    from.removeAllListeners('end');
    void from.end().catch(() => undefined);
    schedule();
  };

  const schedule = () => {
    if (stopped || reconnect) return;
    reconnect = setTimeout(() => {
      reconnect = null;
      void connect();
    }, delay);
    reconnect.unref();
    delay = Math.min(delay * 2, maxDelay);
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: options.connectionString, application_name: options.schema, keepAlive: true });
    next.on('notification', (message) => options.onNotify(Number(message.payload)));
    next.on('error', (error) => drop(next, error));
    next.on('end', () => drop(next));
    client = next;
    try {
      await next.connect();
      await query(next, `listen "${outboxChannel(options.schema)}"`);
      const locked = await tryLock(next);
      if (stopped || client !== next) return;
      leading = locked;
      delay = firstDelay;
      options.onListening();
    } catch (error) {
      drop(next, error);
    }
  };

  void connect();

  return {
    leads: () => leading,
    claim() {
      if (leading) return Promise.resolve(true);
      const on = client;
      if (!on || stopped) return Promise.resolve(false);
      claiming ??= tryLock(on)
        .then((locked) => (leading = locked && client === on))
        .catch((error: unknown) => {
          drop(on, error);
          return false;
        })
        .finally(() => (claiming = null));
      return claiming;
    },
    async stop() {
      stopped = true;
      if (reconnect) clearTimeout(reconnect);
      const last = client;
      client = null;
      leading = false;
      if (last) {
        last.removeAllListeners('end');
        await last.end().catch(() => undefined);
      }
    },
  };
}

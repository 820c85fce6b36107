import type { Dialect, Em } from '../database.js';
import { crashPoint } from '../faults/crash-points.js';
import { markPublished, placeBatch } from './outbox-batch.js';
import { watchOutboxCommits } from './outbox-commits.js';
import { soleLeadership, startOutboxListener } from './outbox-listener.js';
import type { OutboxEvent } from './outbox.js';
import type { EventEnvelope, EventTransport } from './event.js';

export interface OutboxRelayOptions {
  /** a new EntityManager of the subgraph's database */
  fork: () => Em;
  dialect: Dialect;
  transport: EventTransport;
  stream: string;
  /** the subgraph whose outbox this is; event ids are `<source>:<outbox id>` */
  source: string;
  /** PostgreSQL: the database's URL, for the relay's own connection (LISTEN and the lead); its schema is `source` */
  databaseUrl?: string;
  batchSize?: number;
  /** how long the relay sleeps without being woken before it looks anyway (lib/events/config.ts OUTBOX_SAFETY_POLL) */
  safetyPollMs?: number;
  /** first delay before a failed batch is tried again, doubled up to a second */
  retryDelayMs?: number;
  onError?: (error: unknown) => void;
  /** receives the statements of the relay's own connection (the others go through `fork`'s logger) */
  onQuery?: (sql: string) => void;
}

export interface OutboxRelay {
  /** publishes everything unpublished now (tests, shutdown) */
  flush: () => Promise<number>;
  stop: () => Promise<void>;
}

/** An outbox row (with its position assigned) as the event it publishes. */
export function envelope(source: string, row: OutboxEvent): EventEnvelope {
  if (row.position === null || row.position === undefined) throw new Error(`outbox row ${row.id} has no position yet`);
  return {
    id: `${source}:${row.id}`,
    source,
    position: row.position,
    type: row.type,
    aggregateType: row.aggregateType,
    aggregateId: row.aggregateId,
    sequence: row.sequence,
    occurredAt: row.occurredAt.toISOString(),
    payload: row.payload,
  };
}

/** The relays of one database in this process take their batches in turn (SQLite has no advisory lock). */
const turns = new WeakMap<object, { last: Promise<unknown> }>();
function inTurn<T>(em: Em, run: () => Promise<T>): Promise<T> {
  const key = em.getConnection();
  let turn = turns.get(key);
  if (!turn) turns.set(key, (turn = { last: Promise.resolve() }));
  const mine = turn.last.catch(() => undefined).then(run);
  turn.last = mine;
  return mine;
}

/** How many recently published ids a relay remembers, to know a late notification of them needs no pass. */
const REMEMBERED_IDS = 4096;

/**
 * Publishes a subgraph's outbox in one total order, a batch in two statements (lib/events/outbox-batch.ts).
 * The first gives the committed, unplaced rows the next positions (in id order, which is commit order
 * within an aggregate: its events are written under the aggregate's row lock) and returns them after
 * any placed rows still unpublished; it commits on its own, so a position, once published, never
 * changes. Then the batch is published in position order and marked in the second statement. A crash
 * between publishing and marking publishes those events again with the same positions: consumers skip
 * them.
 *
 * Ascending positions on the stream hold with any number of relays: each batch starts from the lowest
 * position still unpublished, so a position above another that is not yet published is only published
 * after it (again, if another relay is publishing it too); placing cannot run ahead of an unmarked batch
 * unseen, since the row it would skip is either visible to it or makes it fail on the unique position.
 * Only one relay publishes, all the same, so that replicas do not publish every batch twice: on
 * PostgreSQL the one whose own connection holds the session advisory lock `paygraph:outbox-relay:<source>`
 * (the others try again when notified, at most once a second, and at each safety poll); on SQLite the
 * relays of one process take turns.
 *
 * The relay sleeps until woken: by this process's commits that wrote outbox rows (lib/events/outbox-commits.ts),
 * on PostgreSQL also by the outbox trigger's NOTIFY from any process, at commit. A wake names the
 * highest id its commit wrote, so a wake for rows a batch has already returned costs nothing. It looks
 * anyway every `safetyPollMs` without a wake (a notification lost with the connection, rows written
 * around the ORM), and once each time its connection listens again.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 200;
  const safetyPollMs = options.safetyPollMs ?? 30_000;
  const firstRetryMs = options.retryDelayMs ?? 100;
  const onError = options.onError ?? (() => undefined);
  let stopped = false;

  /** a pass is due that must look at everything (start, safety poll, reconnection, full batch, failure) */
  let wantAll = true;
  /** ids named by wakes not yet covered by a pass */
  const wanted = new Set<number>();
  /** ids recent batches returned, oldest first */
  const returned = new Set<number>();
  let retryMs = firstRetryMs;

  let timer: NodeJS.Timeout | null = null;
  const sleep = (ms: number, then: () => void) => {
    if (timer) clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      then();
    }, ms);
    timer.unref();
  };

  let lastClaim = 0;
  const claimThenRun = () => {
    const wait = lastClaim + 1_000 - Date.now();
    if (wait > 0) return sleep(wait, claimThenRun);
    lastClaim = Date.now();
    void leadership.claim().then((leads) => {
      if (!leads) return sleep(safetyPollMs, safetyPoll);
      wantAll = true;
      kick();
    });
  };
  const safetyPoll = () => {
    if (!leadership.leads()) return claimThenRun();
    wantAll = true;
    kick();
  };

  const wake = (lastId: number) => {
    if (stopped) return;
    if (!leadership.leads()) return claimThenRun();
    if (returned.has(lastId)) return;
    wanted.add(lastId);
    kick();
  };

  /** One batch: place, publish, mark; the number published. */
  const pass = (): Promise<number> =>
    inTurn(options.fork(), async () => {
      const covered = [...wanted];
      const all = wantAll;
      wantAll = false;
      wanted.clear();
      let rows: OutboxEvent[];
      try {
        rows = await placeBatch(options.fork(), options.dialect, batchSize);
        if (rows.length > 0) {
          await options.transport.publish(options.stream, rows.map((row) => envelope(options.source, row)));
          crashPoint('relay.after-publish');
          await markPublished(options.fork(), rows.map((row) => row.id), new Date());
        }
      } catch (error) {
        wantAll ||= all;
        for (const id of covered) wanted.add(id);
        throw error;
      }
      for (const row of rows) {
        returned.delete(row.id);
        returned.add(row.id);
        wanted.delete(row.id);
      }
      for (const id of returned) {
        if (returned.size <= REMEMBERED_IDS) break;
        returned.delete(id);
      }
      if (rows.length >= batchSize) wantAll = true;
      return rows.length;
    });

  let running: Promise<void> | null = null;
  const kick = () => {
    if (running || stopped) return;
    running = (async () => {
      try {
        while (!stopped && leadership.leads() && (wantAll || wanted.size > 0)) await pass();
        retryMs = firstRetryMs;
        sleep(safetyPollMs, safetyPoll);
      } catch (error) {
        onError(error);
        sleep(retryMs, () => kick());
        retryMs = Math.min(retryMs * 2, 1_000);
      } finally {
        running = null;
      }
    })();
  };

  const leadership =
    options.dialect === 'postgresql' && options.databaseUrl
      ? startOutboxListener({
          connectionString: options.databaseUrl,
          schema: options.source,
          lockName: `paygraph:outbox-relay:${options.source}`,
          onNotify: wake,
          onListening: () => {
            wantAll = true;
            if (leadership.leads()) kick();
            else sleep(safetyPollMs, safetyPoll);
          },
          onError,
          onQuery: options.onQuery,
        })
      : soleLeadership;
  const unwatch = watchOutboxCommits(options.fork(), wake);
  if (leadership === soleLeadership) kick();

  return {
    async flush() {
      await running;
      let total = 0;
      wantAll = true;
      for (;;) {
        const published = await pass();
        total += published;
        if (published < batchSize) return total;
      }
    },
    async stop() {
      stopped = true;
      unwatch();
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
      await leadership.stop();
    },
  };
}

import type { Dialect, Em } from '../database.js';
import { crashPoint } from '../faults/crash-points.js';
import { OutboxEvent } from './outbox.js';
import type { EventEnvelope, EventTransport } from './event.js';

export interface OutboxRelayOptions {
  /** a new EntityManager of the subgraph's database */
  fork: () => Em;
  dialect: Dialect;
  transport: EventTransport;
  stream: string;
  /** the subgraph whose outbox this is; event ids are `<source>:<outbox id>` */
  source: string;
  batchSize?: number;
  /** how long to wait before looking again when the outbox is empty */
  idleDelayMs?: number;
  onError?: (error: unknown) => void;
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

/**
 * Publishes a subgraph's outbox in one total order, in two steps. First it gives each committed,
 * unplaced row the next position (in id order, which is commit order within an aggregate: its events
 * are written under the aggregate's row lock) and commits that, so a position, once published, never
 * changes. Then it publishes the unpublished rows in position order and marks what the transport
 * accepted. A crash between publishing and marking publishes those events again with the same
 * positions and sequences: consumers skip them. On PostgreSQL, relay replicas take turns under an
 * advisory lock, so the stream carries positions in ascending order.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 200;
  const idleDelayMs = options.idleDelayMs ?? 25;
  let stopped = false;
  let wake: (() => void) | undefined;

  const takeTurn = async (tx: Em): Promise<void> => {
    if (options.dialect === 'postgresql') await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`paygraph:outbox-relay:${options.source}`]);
  };

  const placeRows = (): Promise<number> =>
    options.fork().transactional(async (tx) => {
      await takeTurn(tx);
      const rows = await tx.find(OutboxEvent, { publishedAt: null, position: null }, { orderBy: { id: 'asc' }, limit: batchSize });
      if (rows.length === 0) return 0;
      const last = await tx.findOne(OutboxEvent, { position: { $ne: null } }, { orderBy: { position: 'desc' }, fields: ['position'] });
      let next = (last?.position ?? 0) + 1;
      for (const row of rows) row.position = next++;
      return rows.length;
    });

  const publishPlaced = (): Promise<number> =>
    options.fork().transactional(async (tx) => {
      await takeTurn(tx);
      const rows = await tx.find(OutboxEvent, { publishedAt: null, position: { $ne: null } }, { orderBy: { position: 'asc' }, limit: batchSize });
      if (rows.length === 0) return 0;
      await options.transport.publish(options.stream, rows.map((row) => envelope(options.source, row)));
      crashPoint('relay.after-publish');
      await tx.nativeUpdate(OutboxEvent, { id: { $in: rows.map((row) => row.id) } }, { publishedAt: new Date() });
      return rows.length;
    });

  const relayBatch = async (): Promise<number> => {
    await placeRows();
    return publishPlaced();
  };

  let running = Promise.resolve(0);
  const flush = (): Promise<number> => {
    running = running.catch(() => 0).then(async () => {
      let total = 0;
      for (let published = await relayBatch(); published > 0; published = await relayBatch()) total += published;
      return total;
    });
    return running;
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        if ((await flush()) > 0) continue;
      } catch (error) {
        options.onError?.(error);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, idleDelayMs);
      });
    }
  })();

  return {
    flush,
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

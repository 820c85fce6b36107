import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { systemClock, type Clock } from '../../lib/clock.js';
import { openDatabase, type Database } from '../../lib/database.js';
import { ACCOUNTING_EVENTS, PAYMENT_EVENTS, type EventEnvelope, type EventTransport, type Subscription } from '../../lib/events/event.js';
import { applyOnce, EventOutOfOrder, type ApplyOutcome } from '../../lib/events/inbox.js';
import type { RunningServer } from '../../lib/http-server.js';
import { logInternalError } from '../../lib/log.js';
import type { Principal } from '../../lib/principal.js';
import { startSubgraphServer } from '../../lib/subgraph-server.js';
import type { TransactionConfig } from './config.js';
import type { Context } from './context.js';
import { entities } from './entities/index.js';
import { mountStatementRoute } from './http-routes.js';
import { createLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { TransactionRecorder } from './services/recording.js';

const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** The consumer group on both streams; replicas share it, so each event is recorded once. */
const GROUP = 'transaction';

/**
 * The inbox's consumer per source: the payment and accounting streams both key their events by
 * payment id, with a sequence of their own, so each source keeps its own positions.
 */
export const inboxConsumer = (event: EventEnvelope) => `${GROUP}:${event.source}`;

export interface TransactionSubgraphOptions {
  transport: EventTransport;
  /** this replica's name within the group; default transaction-<pid>-<random> */
  consumerName?: string;
  clock?: Clock;
  /** receives every SQL statement (tests count them) */
  onQuery?: (sql: string) => void;
  onInternalError?: (error: unknown) => void;
  /** rows per read of a statement (tests make it small) */
  statementBatchSize?: number;
}

/** Wires the transaction subgraph: database, the consumers of payment's and accounting's events, its HTTP server. */
export interface TransactionSubgraph extends RunningServer {
  database: Database;
  /** records one event exactly once, as the subscriptions do */
  handleEvent: (event: EventEnvelope) => Promise<ApplyOutcome>;
}

export async function startTransactionSubgraph(config: TransactionConfig, options: TransactionSubgraphOptions): Promise<TransactionSubgraph> {
  const clock = options.clock ?? systemClock;
  const onInternalError = options.onInternalError ?? ((error: unknown) => logInternalError('transaction', error));
  const database = await openDatabase({
    name: 'transaction',
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    entities,
    migrations,
    onQuery: options.onQuery,
  });
  const { dialect } = database;
  const recorder = new TransactionRecorder({ dialect, clock });
  const handleEvent = (event: EventEnvelope) => applyOnce(database.fork(), dialect, inboxConsumer(event), event, (tx) => recorder.apply(tx, event));
  const createContext = (principal: Principal): Context => {
    const em = database.fork();
    return { principal, em, loaders: createLoaders(em) };
  };
  const server = await startSubgraphServer<Context>({
    name: 'transaction',
    typeDefs,
    resolvers: resolvers as never,
    port: config.port,
    host: config.host,
    internalSecret: config.internalSecret,
    createContext,
    onInternalError,
    routes: (app, requireSignature) =>
      mountStatementRoute(app, requireSignature, { fork: () => database.fork(), batchSize: options.statementBatchSize, onInternalError }),
  });
  const consumerName = options.consumerName ?? `${GROUP}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const consume = async (event: EventEnvelope) => {
    try {
      await handleEvent(event);
    } catch (error) {
      // The transport delivers the event again; an early one is expected to wait, anything else is reported.
      if (!(error instanceof EventOutOfOrder)) onInternalError(error);
      throw error;
    }
  };
  const subscriptions: Subscription[] = [];
  try {
    for (const stream of [PAYMENT_EVENTS, ACCOUNTING_EVENTS]) {
      subscriptions.push(await options.transport.subscribe(stream, GROUP, consumerName, consume));
    }
  } catch (error) {
    for (const subscription of subscriptions) await subscription.stop();
    await server.close();
    await database.close();
    throw error;
  }
  return {
    ...server,
    database,
    handleEvent,
    close: async () => {
      // Nothing new is recorded once the subscriptions stop; then the server, the database.
      for (const subscription of subscriptions) await subscription.stop();
      await server.close();
      await database.close();
    },
  };
}

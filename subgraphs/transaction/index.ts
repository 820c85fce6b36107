import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { systemClock, type Clock } from '../../lib/clock.js';
import { openDatabase, type Database } from '../../lib/database.js';
import { ACCOUNTING_EVENTS, PAYMENT_EVENTS, type EventEnvelope, type EventTransport } from '../../lib/events/event.js';
import { startEventConsumer, type ConsumerGroup } from '../../lib/events/consumer.js';
import type { ApplyOutcome } from '../../lib/events/inbox.js';
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

/** Transaction records the payment and accounting events. */
export const TRANSACTION_CONSUMER: ConsumerGroup = { group: 'transaction', streams: [PAYMENT_EVENTS, ACCOUNTING_EVENTS] };

export interface TransactionSubgraphOptions {
  transport: EventTransport;
  /** this replica's name within the group; default lib/events/consumer.ts replicaName */
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
  const createContext = (principal: Principal): Context => {
    const em = database.fork();
    return { principal, em, loaders: createLoaders(em) };
  };
  const server = await startSubgraphServer<Context>({
    name: 'transaction',
    typeDefs,
    resolvers,
    port: config.port,
    host: config.host,
    internalSecret: config.internalSecret,
    createContext,
    onInternalError,
    routes: (app, requireSignature) =>
      mountStatementRoute(app, requireSignature, { fork: () => database.fork(), batchSize: options.statementBatchSize, onInternalError }),
  });
  const consumer = await startEventConsumer({
    ...TRANSACTION_CONSUMER,
    transport: options.transport,
    replica: options.consumerName,
    fork: () => database.fork(),
    dialect,
    apply: (tx, event) => recorder.apply(tx, event),
    onError: onInternalError,
  }).catch(async (error: unknown) => {
    await server.close();
    await database.close();
    throw error;
  });
  return {
    ...server,
    database,
    handleEvent: consumer.handleEvent,
    close: async () => {
      // Nothing new is recorded once the subscriptions stop; then the server, the database.
      await consumer.stop();
      await server.close();
      await database.close();
    },
  };
}

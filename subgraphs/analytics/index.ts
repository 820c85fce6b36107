import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { systemClock, type Clock } from '../../lib/clock.js';
import { openDatabase, type Database } from '../../lib/database.js';
import { startEventConsumer } from '../../lib/events/consumer.js';
import type { EventEnvelope, EventTransport } from '../../lib/events/event.js';
import type { ApplyOutcome } from '../../lib/events/inbox.js';
import type { RunningServer } from '../../lib/http-server.js';
import { logInternalError } from '../../lib/log.js';
import type { Principal } from '../../lib/principal.js';
import { startSubgraphServer } from '../../lib/subgraph-server.js';
import type { AnalyticsConfig } from './config.js';
import type { Context } from './context.js';
import { entities } from './entities/index.js';
import { createLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { ANALYTICS_CONSUMER, metricsEffect } from './services/consumers.js';

const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

export interface AnalyticsSubgraphOptions {
  transport: EventTransport;
  /** this replica's name within the group; default lib/events/consumer.ts replicaName */
  consumerName?: string;
  clock?: Clock;
  /** receives every SQL statement (tests count them) */
  onQuery?: (sql: string) => void;
  onInternalError?: (error: unknown) => void;
}

/** Wires the analytics subgraph: database, the consumers of the payment and accounting events, its HTTP server. */
export interface AnalyticsSubgraph extends RunningServer {
  database: Database;
  /** applies one event exactly once, as the subscriptions do */
  handleEvent: (event: EventEnvelope) => Promise<ApplyOutcome>;
}

export async function startAnalyticsSubgraph(config: AnalyticsConfig, options: AnalyticsSubgraphOptions): Promise<AnalyticsSubgraph> {
  const clock = options.clock ?? systemClock;
  const onInternalError = options.onInternalError ?? ((error: unknown) => logInternalError('analytics', error));
  const database = await openDatabase({
    name: 'analytics',
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    entities,
    migrations,
    onQuery: options.onQuery,
  });
  const { dialect } = database;
  const createContext = (principal: Principal): Context => {
    const em = database.fork();
    return { principal, em, dialect, loaders: createLoaders(em) };
  };
  const server = await startSubgraphServer<Context>({
    name: 'analytics',
    typeDefs,
    resolvers,
    port: config.port,
    host: config.host,
    internalSecret: config.internalSecret,
    createContext,
    onInternalError,
  });
  const consumer = await startEventConsumer({
    ...ANALYTICS_CONSUMER,
    transport: options.transport,
    replica: options.consumerName,
    fork: () => database.fork(),
    dialect,
    apply: metricsEffect(dialect, clock),
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
      // Nothing new is applied once the subscriptions stop; then the server, the database.
      await consumer.stop();
      await server.close();
      await database.close();
    },
  };
}

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { systemClock, type Clock } from '../../lib/clock.js';
import { openDatabase, type Database } from '../../lib/database.js';
import { ACCOUNTING_EVENTS, PAYMENT_EVENTS, type EventEnvelope, type EventTransport, type Subscription } from '../../lib/events/event.js';
import { EventOutOfOrder, type ApplyOutcome } from '../../lib/events/inbox.js';
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
import { GROUP, metricsConsumers, type ConsumedStream } from './services/consumers.js';

const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

export interface AnalyticsSubgraphOptions {
  transport: EventTransport;
  /** this replica's name within the group; default analytics-<pid>-<random> */
  consumerName?: string;
  clock?: Clock;
  /** receives every SQL statement (tests count them) */
  onQuery?: (sql: string) => void;
  onInternalError?: (error: unknown) => void;
}

/** Wires the analytics subgraph: database, the consumers of the payment and accounting events, its HTTP server. */
export interface AnalyticsSubgraph extends RunningServer {
  database: Database;
  /** applies one event of a stream exactly once, as the subscription does */
  handleEvent: (stream: ConsumedStream, event: EventEnvelope) => Promise<ApplyOutcome>;
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
  const consumers = metricsConsumers(() => database.fork(), dialect, clock);
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
  const consumerName = options.consumerName ?? `${GROUP}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const subscriptions: Subscription[] = [];
  const stopAll = async () => {
    for (const subscription of subscriptions) await subscription.stop();
  };
  try {
    for (const stream of [PAYMENT_EVENTS, ACCOUNTING_EVENTS] as const) {
      subscriptions.push(
        await options.transport.subscribe(stream, GROUP, consumerName, async (event) => {
          try {
            await consumers[stream](event);
          } catch (error) {
            // The transport delivers the event again; an early one is expected to wait, anything else is reported.
            if (!(error instanceof EventOutOfOrder)) onInternalError(error);
            throw error;
          }
        }),
      );
    }
  } catch (error) {
    await stopAll();
    await server.close();
    await database.close();
    throw error;
  }
  return {
    ...server,
    database,
    handleEvent: (stream, event) => consumers[stream](event),
    close: async () => {
      // Nothing new is applied once the subscriptions stop; then the server, the database.
      await stopAll();
      await server.close();
      await database.close();
    },
  };
}

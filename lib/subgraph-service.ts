import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { systemClock, type Clock } from './clock.js';
import type { SubgraphConfig } from './config-loader.js';
import { openDatabase, type Database, type DatabaseOptions } from './database.js';
import type { EventConsumerConfig, OutboxRelayConfig } from './events/config.js';
import { startEventConsumer, type ConsumerGroup, type ExactlyOnce } from './events/consumer.js';
import { countDeadLetters, type ReplayResult } from './events/dead-letters.js';
import type { EventEnvelope, EventTransport } from './events/event.js';
import type { ApplyOutcome } from './events/inbox.js';
import { startOutboxRelay } from './events/outbox-relay.js';
import { mountOutboxRoute, outboxReader } from './events/outbox-route.js';
import { startOutboxPruning } from './events/outbox-retention.js';
import type { RunningServer } from './http-server.js';
import { logInternalError } from './log.js';
import { unpublishedEvents } from './metrics/events.js';
import { subgraphMetrics } from './metrics/subgraph.js';
import type { Registry } from 'prom-client';
import type { NonceStore } from './nonce-store.js';
import { startSubgraphServer, type SubgraphResolvers, type SubgraphServerOptions } from './subgraph-server.js';
import { subgraphReadiness } from './health/subgraph-readiness.js';
import { databaseFailure } from './start-failure.js';

interface Stoppable {
  stop: () => Promise<void>;
}

/** What a test or the composer may set on any subgraph it starts. */
export interface SubgraphRunOptions {
  clock?: Clock;
  /** receives every SQL statement (tests count them) */
  onQuery?: (sql: string) => void;
  onInternalError?: (error: unknown) => void;
  /** where this subgraph's events are published and those it consumes are read */
  transport?: EventTransport;
  /** this replica's name within its consumer group; default lib/events/consumer.ts replicaName */
  consumerName?: string;
  /** where the nonces of signed requests are kept: Redis to share them among replicas; default this process's memory */
  nonces?: NonceStore;
  /** the Redis the transport or the nonces use (REDIS_URL): /readyz checks it answers */
  redisUrl?: string;
}

/** A subgraph that consumes events needs the transport they come on. */
export interface ConsumingSubgraphOptions extends SubgraphRunOptions {
  transport: EventTransport;
}

/** What `wire` gets: the opened database, the clock and the error sink resolved from the run options. */
export interface SubgraphBase {
  database: Database;
  clock: Clock;
  /** default: logged under the subgraph's name */
  onInternalError: (error: unknown) => void;
  /** where the subgraph's own figures go (lib/metrics); null when metrics are off */
  metrics: Registry | null;
}

/** What a subgraph builds on its opened database. */
export interface SubgraphParts<TContext extends object, THandles extends object> {
  createContext: SubgraphServerOptions<TContext>['createContext'];
  routes?: SubgraphServerOptions<TContext>['routes'];
  /**
   * the events this subgraph consumes, each applied exactly once, a transport's batch in one transaction
   * (`applyBatch`, when given, folds such a batch at once: lib/events/consumer.ts ExactlyOnce); with
   * `events`, what the transport loses is backfilled from the producers
   */
  consumer?: { group: ConsumerGroup; apply: ExactlyOnce['apply']; applyBatch?: ExactlyOnce['applyBatch']; events?: EventConsumerConfig };
  /** started after the server, stopped before it (after the consumer) */
  jobs?: () => Stoppable[];
  /** merged into the returned service, e.g. a job's run-now */
  handles: THandles;
}

export interface SubgraphServiceOptions<TContext extends object, THandles extends object> {
  name: string;
  config: SubgraphConfig;
  entities: DatabaseOptions['entities'];
  migrations: DatabaseOptions['migrations'];
  /** the subgraph's schema.graphql */
  schema: URL;
  resolvers: SubgraphResolvers;
  run: SubgraphRunOptions;
  /**
   * this subgraph's own events: relayed to the run's transport (none: they stay in the outbox), pruned
   * after `retentionMs`, and served to its consumers' backfill (lib/events/outbox-route.ts)
   */
  outbox?: { stream: string; retentionMs: number; pruneIntervalMs: number; relay?: OutboxRelayConfig };
  wire: (base: SubgraphBase) => SubgraphParts<TContext, THandles>;
}

export interface SubgraphService extends RunningServer {
  database: Database;
  /** this subgraph's /metrics (<NAME>_METRICS_PORT), null when off */
  metricsUrl: string | null;
  /** applies one event exactly once, as the subscriptions do (only a consuming subgraph has one) */
  handleEvent: (event: EventEnvelope) => Promise<ApplyOutcome>;
  /** publishes every event still in the outbox now (the relay also does so continuously); 0 without a relay */
  flushOutbox: () => Promise<number>;
  /** a consuming subgraph's events: sweep the producers' outboxes now (resolves to the events applied), replay the dead letters, count them by inbox consumer */
  events: {
    catchUp: () => Promise<number>;
    replayDeadLetters: () => Promise<ReplayResult>;
    deadLetters: () => Promise<Record<string, number>>;
  };
}

/**
 * A subgraph's process skeleton: the database, its server, its outbox relay and pruning, its jobs and
 * its event consumer, started in that order. `close` stops them in the reverse order (nothing new is
 * applied once the consumer stops; the database closes last); a step that fails closes what started.
 */
export async function startSubgraphService<TContext extends object, THandles extends object>(
  options: SubgraphServiceOptions<TContext, THandles>,
): Promise<SubgraphService & THandles> {
  const { name, config } = options;
  const { transport, consumerName } = options.run;
  const clock = options.run.clock ?? systemClock;
  const onInternalError = options.run.onInternalError ?? ((error: unknown) => logInternalError(name, error));
  const database = await openDatabase({
    name,
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    entities: options.entities,
    migrations: options.migrations,
    migrate: config.migrateOnStart ? 'apply' : 'require',
    onQuery: options.run.onQuery,
  }).catch((error: unknown) => {
    throw databaseFailure(name, config.databaseUrl, error);
  });
  const started: Array<() => Promise<void>> = [() => database.close()];
  const readiness = subgraphReadiness({ database, redisUrl: options.run.redisUrl, service: name });
  const close = async () => {
    readiness.lifecycle.drain();
    for (const stop of started.splice(0).reverse()) await stop();
  };
  try {
    started.push(readiness.close);
    await readiness.migrations();
    const fork = () => database.fork();
    const { dialect } = database;
    const metrics = config.metrics ? subgraphMetrics(name) : null;
    const parts = options.wire({ database, clock, onInternalError, metrics: metrics?.registry ?? null });
    const server = await startSubgraphServer<TContext>({
      name,
      typeDefs: parse(readFileSync(options.schema, 'utf8')),
      resolvers: options.resolvers,
      port: config.port,
      host: config.host,
      internalSecret: config.internalSecret,
      nonces: options.run.nonces,
      createContext: parts.createContext,
      routes: (app, requireSignature) => {
        parts.routes?.(app, requireSignature);
        if (options.outbox) mountOutboxRoute(app, requireSignature, { fork, source: name });
      },
      onInternalError,
      readiness,
      shutdownGraceMs: config.shutdownGraceMs,
      metrics: metrics?.requests,
    });
    started.push(() => server.close());
    let flushOutbox = () => Promise.resolve(0);
    if (options.outbox) {
      const { stream, retentionMs, pruneIntervalMs, relay: relayConfig } = options.outbox;
      if (transport) {
        const relay = startOutboxRelay({
          fork,
          dialect,
          databaseUrl: config.databaseUrl,
          transport,
          stream,
          source: name,
          safetyPollMs: relayConfig?.safetyPollMs,
          onError: (error) => logInternalError(`${name} outbox relay`, error),
          onQuery: options.run.onQuery,
        });
        started.push(() => relay.stop());
        flushOutbox = () => relay.flush();
      }
      const pruning = startOutboxPruning({
        fork,
        now: () => clock.now(),
        retentionMs,
        intervalMs: pruneIntervalMs,
        onError: (error) => logInternalError(`${name} outbox pruning`, error),
      });
      started.push(() => pruning.stop());
    }
    for (const job of parts.jobs?.() ?? []) started.push(() => job.stop());
    const consumesNone = () => Promise.reject(new Error(`${name} consumes no events`));
    let handleEvent: SubgraphService['handleEvent'] = consumesNone;
    let events: SubgraphService['events'] = { catchUp: consumesNone, replayDeadLetters: consumesNone, deadLetters: consumesNone };
    if (parts.consumer) {
      if (!transport) throw new Error(`${name} consumes events: it needs a transport`);
      const { group, apply, applyBatch, events: settings } = parts.consumer;
      const backfill = settings && {
        outboxes: Object.fromEntries(Object.entries(settings.producerUrls).map(([source, url]) => [source, outboxReader(source, url, config.internalSecret)])),
        intervalMs: settings.backfillIntervalMs,
        deadLetterAfter: settings.deadLetterAfter,
      };
      const consumer = await startEventConsumer({
        ...group,
        transport,
        replica: consumerName,
        fork,
        dialect,
        apply,
        applyBatch,
        backfill,
        now: () => clock.now(),
        onError: onInternalError,
      });
      started.push(() => consumer.stop());
      if (backfill && settings) readiness.consumers({ fork, dialect, group, outboxes: backfill.outboxes, maxLag: settings.readinessMaxLag });
      handleEvent = consumer.handleEvent;
      events = { catchUp: consumer.catchUp, replayDeadLetters: consumer.replayDeadLetters, deadLetters: () => countDeadLetters(fork()) };
    }
    const metricsServer =
      metrics && config.metrics
        ? await metrics.serve(config.metrics, {
            outboxBacklog: options.outbox && (() => unpublishedEvents(fork())),
            deadLetters: parts.consumer && (() => countDeadLetters(fork())),
          })
        : null;
    // the consumer lag per stream is connected here: metricsServer?.connectConsumerLag(() => …)
    if (metricsServer) started.push(() => metricsServer.close());
    readiness.lifecycle.running();
    return { ...server, ...parts.handles, database, metricsUrl: metricsServer?.url ?? null, handleEvent, flushOutbox, events, close };
  } catch (error) {
    await close();
    throw error;
  }
}

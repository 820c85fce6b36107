import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { systemClock, type Clock } from '../../lib/clock.js';
import { openDatabase, type Database } from '../../lib/database.js';
import { ACCOUNTING_EVENTS, PAYMENT_EVENTS, type EventEnvelope, type EventTransport } from '../../lib/events/event.js';
import { startEventConsumer, type ConsumerGroup } from '../../lib/events/consumer.js';
import type { ApplyOutcome } from '../../lib/events/inbox.js';
import { startOutboxRelay } from '../../lib/events/outbox-relay.js';
import { startOutboxPruning } from '../../lib/events/outbox-retention.js';
import type { RunningServer } from '../../lib/http-server.js';
import { logInternalError } from '../../lib/log.js';
import type { Principal } from '../../lib/principal.js';
import { startSubgraphServer } from '../../lib/subgraph-server.js';
import type { AccountingConfig } from './config.js';
import type { Context } from './context.js';
import { entities } from './entities/index.js';
import { createLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { paymentStatementSource } from './payment-statements.js';
import { resolvers } from './resolvers/index.js';
import { LedgerPosting } from './services/posting.js';
import { ReconciliationService } from './services/reconciliation.js';
import { settleDue } from './services/settlement.js';
import { IntervalJob } from '../../lib/interval-job.js';

const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** Accounting books the payment events. */
export const ACCOUNTING_CONSUMER: ConsumerGroup = { group: 'accounting', streams: [PAYMENT_EVENTS] };

export interface AccountingSubgraphOptions {
  transport: EventTransport;
  /** this replica's name within the group; default lib/events/consumer.ts replicaName */
  consumerName?: string;
  clock?: Clock;
  /** receives every SQL statement (tests count them) */
  onQuery?: (sql: string) => void;
  onInternalError?: (error: unknown) => void;
}

/**
 * Wires the accounting subgraph: database, the payment events' consumer, the relay of its own events
 * (ACCOUNTING_EVENTS), the settlement job, its HTTP server.
 */
export interface AccountingSubgraph extends RunningServer {
  database: Database;
  /** runs the settlement job now (at the clock's time unless given); resolves to the payments settled */
  settleDue: (now?: Date) => Promise<number>;
  /** books one event exactly once, as the subscription does */
  handleEvent: (event: EventEnvelope) => Promise<ApplyOutcome>;
  /** publishes every event still in accounting's outbox now (the relay also does so continuously) */
  flushOutbox: () => Promise<number>;
}

export async function startAccountingSubgraph(config: AccountingConfig, options: AccountingSubgraphOptions): Promise<AccountingSubgraph> {
  const clock = options.clock ?? systemClock;
  const onInternalError = options.onInternalError ?? ((error: unknown) => logInternalError('accounting', error));
  const database = await openDatabase({
    name: 'accounting',
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    entities,
    migrations,
    onQuery: options.onQuery,
  });
  const { dialect } = database;
  const posting = new LedgerPosting({ dialect, clock, fees: config.fees, settlementDelayMs: config.settlementDelayMs });
  const settle = (now: Date = clock.now()) => settleDue(database.fork(), dialect, clock, now);
  const statements = paymentStatementSource(config.paymentSubgraphUrl, config.internalSecret);
  const createContext = (principal: Principal): Context => {
    const em = database.fork();
    return { principal, em, dialect, loaders: createLoaders(em), reconciliation: new ReconciliationService({ em, dialect, clock, statements }) };
  };
  const server = await startSubgraphServer<Context>({
    name: 'accounting',
    typeDefs,
    resolvers,
    port: config.port,
    host: config.host,
    internalSecret: config.internalSecret,
    createContext,
    onInternalError,
  });
  const consumer = await startEventConsumer({
    ...ACCOUNTING_CONSUMER,
    transport: options.transport,
    replica: options.consumerName,
    fork: () => database.fork(),
    dialect,
    apply: (tx, event) => posting.apply(tx, event),
    onError: onInternalError,
  }).catch(async (error: unknown) => {
    await server.close();
    await database.close();
    throw error;
  });
  const relay = startOutboxRelay({
    fork: () => database.fork(),
    dialect,
    transport: options.transport,
    stream: ACCOUNTING_EVENTS,
    source: 'accounting',
    onError: (error) => logInternalError('accounting outbox relay', error),
  });
  const pruning = startOutboxPruning({
    fork: () => database.fork(),
    now: () => clock.now(),
    retentionMs: config.eventRetentionMs,
    intervalMs: config.outboxPruneIntervalMs,
    onError: (error) => logInternalError('accounting outbox pruning', error),
  });
  const timer = new IntervalJob(() => settle(), config.settlementIntervalMs, onInternalError);
  return {
    ...server,
    database,
    settleDue: settle,
    handleEvent: consumer.handleEvent,
    flushOutbox: () => relay.flush(),
    close: async () => {
      // Nothing new is booked once the subscription stops; then the job, the relay, the server, the database.
      await consumer.stop();
      await timer.stop();
      await pruning.stop();
      await relay.stop();
      await server.close();
      await database.close();
    },
  };
}

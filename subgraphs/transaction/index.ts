import { systemClock, type Clock } from '../../lib/clock.js';
import { ACCOUNTING_EVENTS, PAYMENT_EVENTS, type EventTransport } from '../../lib/events/event.js';
import type { ConsumerGroup } from '../../lib/events/consumer.js';
import { logInternalError } from '../../lib/log.js';
import { startSubgraphService, type SubgraphService } from '../../lib/subgraph-service.js';
import type { TransactionConfig } from './config.js';
import type { Context } from './context.js';
import { entities } from './entities/index.js';
import { mountStatementRoute } from './http-routes.js';
import { createLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { TransactionRecorder } from './services/recording.js';

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
export type TransactionSubgraph = Omit<SubgraphService, 'flushOutbox'>;

export async function startTransactionSubgraph(config: TransactionConfig, options: TransactionSubgraphOptions): Promise<TransactionSubgraph> {
  const clock = options.clock ?? systemClock;
  const onInternalError = options.onInternalError ?? ((error: unknown) => logInternalError('transaction', error));
  return startSubgraphService({
    name: 'transaction',
    config,
    entities,
    migrations,
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    clock,
    onQuery: options.onQuery,
    onInternalError,
    wire: (database) => {
      const recorder = new TransactionRecorder({ dialect: database.dialect, clock });
      return {
        createContext: (principal): Context => {
          const em = database.fork();
          return { principal, em, loaders: createLoaders(em) };
        },
        routes: (app, requireSignature) =>
          mountStatementRoute(app, requireSignature, { fork: () => database.fork(), batchSize: options.statementBatchSize, onInternalError }),
        consumer: { group: TRANSACTION_CONSUMER, transport: options.transport, replica: options.consumerName, apply: (tx, event) => recorder.apply(tx, event) },
        handles: {},
      };
    },
  });
}

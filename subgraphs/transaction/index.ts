import { ACCOUNTING_EVENTS, PAYMENT_EVENTS } from '../../lib/events/event.js';
import type { ConsumerGroup } from '../../lib/events/consumer.js';
import { startSubgraphService, type ConsumingSubgraphOptions, type SubgraphService } from '../../lib/subgraph-service.js';
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

export interface TransactionSubgraphOptions extends ConsumingSubgraphOptions {
  /** rows per read of a statement (tests make it small) */
  statementBatchSize?: number;
}

/** Wires the transaction subgraph: database, the consumers of payment's and accounting's events, its HTTP server. */
export type TransactionSubgraph = Omit<SubgraphService, 'flushOutbox'>;

export async function startTransactionSubgraph(config: TransactionConfig, options: TransactionSubgraphOptions): Promise<TransactionSubgraph> {
  return startSubgraphService({
    name: 'transaction',
    config,
    entities,
    migrations,
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    run: options,
    wire: ({ database, clock, onInternalError }) => {
      const recorder = new TransactionRecorder({ clock });
      return {
        createContext: (principal): Context => {
          const em = database.fork();
          return { principal, em, loaders: createLoaders(em) };
        },
        routes: (app, requireSignature) =>
          mountStatementRoute(app, requireSignature, { fork: () => database.fork(), batchSize: options.statementBatchSize, onInternalError }),
        consumer: { group: TRANSACTION_CONSUMER, apply: (tx, event) => recorder.apply(tx, event), events: config.events },
        handles: {},
      };
    },
  });
}

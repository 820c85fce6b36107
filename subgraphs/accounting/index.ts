import { systemClock, type Clock } from '../../lib/clock.js';
import { ACCOUNTING_EVENTS, PAYMENT_EVENTS, type EventTransport } from '../../lib/events/event.js';
import type { ConsumerGroup } from '../../lib/events/consumer.js';
import { IntervalJob } from '../../lib/interval-job.js';
import { logInternalError } from '../../lib/log.js';
import { startSubgraphService, type SubgraphService } from '../../lib/subgraph-service.js';
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
export interface AccountingSubgraph extends SubgraphService {
  /** runs the settlement job now (at the clock's time unless given); resolves to the payments settled */
  settleDue: (now?: Date) => Promise<number>;
}

export async function startAccountingSubgraph(config: AccountingConfig, options: AccountingSubgraphOptions): Promise<AccountingSubgraph> {
  const clock = options.clock ?? systemClock;
  const onInternalError = options.onInternalError ?? ((error: unknown) => logInternalError('accounting', error));
  const statements = paymentStatementSource(config.paymentSubgraphUrl, config.internalSecret);
  return startSubgraphService({
    name: 'accounting',
    config,
    entities,
    migrations,
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    clock,
    onQuery: options.onQuery,
    onInternalError,
    outbox: { stream: ACCOUNTING_EVENTS, transport: options.transport, retentionMs: config.eventRetentionMs, pruneIntervalMs: config.outboxPruneIntervalMs },
    wire: (database) => {
      const { dialect } = database;
      const posting = new LedgerPosting({ dialect, clock, fees: config.fees, settlementDelayMs: config.settlementDelayMs });
      const settle = (now: Date = clock.now()) => settleDue(database.fork(), dialect, clock, now);
      return {
        createContext: (principal): Context => {
          const em = database.fork();
          return { principal, em, dialect, loaders: createLoaders(em), reconciliation: new ReconciliationService({ em, dialect, clock, statements }) };
        },
        consumer: { group: ACCOUNTING_CONSUMER, transport: options.transport, replica: options.consumerName, apply: (tx, event) => posting.apply(tx, event) },
        jobs: () => [new IntervalJob(() => settle(), config.settlementIntervalMs, onInternalError)],
        handles: { settleDue: settle },
      };
    },
  });
}

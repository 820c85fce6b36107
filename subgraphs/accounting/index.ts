import { ACCOUNTING_EVENTS, PAYMENT_EVENTS } from '../../lib/events/event.js';
import type { ConsumerGroup } from '../../lib/events/consumer.js';
import { IntervalJob } from '../../lib/interval-job.js';
import { startSubgraphService, type ConsumingSubgraphOptions, type SubgraphService } from '../../lib/subgraph-service.js';
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

export type AccountingSubgraphOptions = ConsumingSubgraphOptions;

/**
 * Wires the accounting subgraph: database, the payment events' consumer, the relay of its own events
 * (ACCOUNTING_EVENTS), the settlement job, its HTTP server.
 */
export interface AccountingSubgraph extends SubgraphService {
  /** runs the settlement job now (at the clock's time unless given); resolves to the payments settled */
  settleDue: (now?: Date) => Promise<number>;
}

export async function startAccountingSubgraph(config: AccountingConfig, options: AccountingSubgraphOptions): Promise<AccountingSubgraph> {
  const statements = paymentStatementSource(config.paymentSubgraphUrl, config.internalSecret);
  return startSubgraphService({
    name: 'accounting',
    config,
    entities,
    migrations,
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    run: options,
    outbox: { stream: ACCOUNTING_EVENTS, retentionMs: config.eventRetentionMs, pruneIntervalMs: config.outboxPruneIntervalMs, relay: config.outboxRelay },
    wire: ({ database, clock, onInternalError }) => {
      const { dialect } = database;
      const posting = new LedgerPosting({ dialect, clock, fees: config.fees, settlementDelayMs: config.settlementDelayMs });
      const settle = (now: Date = clock.now()) => settleDue(database.fork(), dialect, clock, now);
      return {
        createContext: (principal): Context => {
          const em = database.fork();
          return { principal, em, dialect, loaders: createLoaders(em), reconciliation: new ReconciliationService({ em, dialect, clock, statements }) };
        },
        consumer: { group: ACCOUNTING_CONSUMER, apply: (tx, event) => posting.apply(tx, event), applyBatch: (tx, events) => posting.applyBatch(tx, events), events: config.events },
        jobs: () => [new IntervalJob(() => settle(), config.settlementIntervalMs, onInternalError)],
        handles: { settleDue: settle },
      };
    },
  });
}

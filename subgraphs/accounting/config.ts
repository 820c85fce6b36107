import { z } from 'zod';
import { metricsPortEnv } from '../../lib/metrics/config.js';
import { eventConsumerConfig, eventConsumerEnv, outboxRelayConfig, outboxRelayEnv, type EventConsumerConfig, type OutboxRelayConfig } from '../../lib/events/config.js';
import { envDuration, envPort, parseEnv, subgraphConfig, subgraphEnv, type Env, frozen, type Frozen, type SubgraphConfig } from '../../lib/config-loader.js';
import { DEFAULT_FEES, parseFeeSchedule, type FeeSchedule } from './services/fees.js';

const schema = z.object({
  ...subgraphEnv,
  ...eventConsumerEnv,
  ACCOUNTING_PORT: envPort.default(4002),
  ACCOUNTING_METRICS_PORT: metricsPortEnv,
  FEES: z.string().default(DEFAULT_FEES),
  SETTLEMENT_DELAY: envDuration.default(86_400_000),
  SETTLEMENT_INTERVAL: envDuration.default(60_000),
  EVENT_RETENTION: envDuration.default(7 * 86_400_000),
  OUTBOX_PRUNE_INTERVAL: envDuration.default(3_600_000),
  ...outboxRelayEnv,
});

export interface AccountingConfig extends SubgraphConfig {
  fees: FeeSchedule;
  /** how long captured funds stay pending before the settlement job makes them available */
  settlementDelayMs: number;
  /** how often the settlement job runs */
  settlementIntervalMs: number;
  /** how long published accounting events stay in the outbox */
  eventRetentionMs: number;
  outboxPruneIntervalMs: number;
  /** the outbox relay's safety poll */
  outboxRelay: OutboxRelayConfig;
  /** the payment subgraph, which fetches providers' statements for reconciliation */
  paymentSubgraphUrl: string;
  /** the payment events' backfill and dead letters */
  events: EventConsumerConfig;
}

export function loadAccountingConfig(env: Env = process.env): Frozen<AccountingConfig> {
  const e = parseEnv('accounting subgraph', schema, env);
  const common = subgraphConfig('accounting subgraph', e, e.ACCOUNTING_PORT, e.ACCOUNTING_METRICS_PORT);
  const invalid = (name: string, message: string) => new Error(`accounting subgraph: invalid configuration\n  ${name}: ${message}`);
  if (e.SETTLEMENT_INTERVAL < 1) throw invalid('SETTLEMENT_INTERVAL', 'must be at least 1ms');
  let fees: FeeSchedule;
  try {
    fees = parseFeeSchedule(e.FEES);
  } catch (error) {
    throw invalid('FEES', error instanceof Error ? error.message : String(error));
  }
  return frozen({
    ...common,
    fees,
    settlementDelayMs: e.SETTLEMENT_DELAY,
    settlementIntervalMs: e.SETTLEMENT_INTERVAL,
    eventRetentionMs: e.EVENT_RETENTION,
    outboxPruneIntervalMs: e.OUTBOX_PRUNE_INTERVAL,
    outboxRelay: outboxRelayConfig(e),
    paymentSubgraphUrl: e.PAYMENT_SUBGRAPH_URL,
    events: eventConsumerConfig(e),
  });
}

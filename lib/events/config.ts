import { z } from 'zod';
import { envDuration, parseEnv, type Env, frozen, type Frozen } from '../config-loader.js';

const schema = z.object({
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// URL').optional(),
  EVENT_CLAIM_IDLE: envDuration.default(5_000),
});

export interface EventsConfig {
  /** unset: the in-process transport of the embedded default (all services in one process) */
  redisUrl: string | undefined;
  /** pending events of a consumer silent this long are claimed by another */
  claimIdleMs: number;
}

export function loadEventsConfig(env: Env = process.env): Frozen<EventsConfig> {
  const e = parseEnv('events', schema, env);
  return frozen({
    redisUrl: e.REDIS_URL,
    claimIdleMs: e.EVENT_CLAIM_IDLE,
  });
}

const subgraphUrl = (port: number) => z.url({ protocol: /^https?$/ }).default(`http://127.0.0.1:${port}`);

/** The variables every consuming subgraph reads for its events, beside its own (lib/config-loader.ts subgraphEnv). */
export const eventConsumerEnv = {
  /** the producers, whose outboxes a consumer reads to fill what its transport lost */
  PAYMENT_SUBGRAPH_URL: subgraphUrl(4001),
  ACCOUNTING_SUBGRAPH_URL: subgraphUrl(4002),
  EVENT_BACKFILL_INTERVAL: envDuration.default(60_000),
  EVENT_DEAD_LETTER_AFTER: z.coerce.number().int().min(1).default(5),
  READINESS_MAX_LAG: z.coerce.number().int().min(0).max(100_000).default(1000),
};

export interface EventConsumerConfig {
  /** each producer's base URL, by source */
  producerUrls: Readonly<Record<string, string>>;
  /** how often a consumer sweeps its producers' outboxes for events its transport lost (also at start and after an outage) */
  backfillIntervalMs: number;
  /** failures with the same non-transient error after which an event is kept as a dead letter */
  deadLetterAfter: number;
  /** events a consumer may be behind its producers and still be ready (/readyz) */
  readinessMaxLag: number;
}

export function eventConsumerConfig(e: z.infer<z.ZodObject<typeof eventConsumerEnv>>): EventConsumerConfig {
  return {
    producerUrls: { payment: e.PAYMENT_SUBGRAPH_URL, accounting: e.ACCOUNTING_SUBGRAPH_URL },
    backfillIntervalMs: e.EVENT_BACKFILL_INTERVAL,
    deadLetterAfter: e.EVENT_DEAD_LETTER_AFTER,
    readinessMaxLag: e.READINESS_MAX_LAG,
  };
}

/** The variables of a subgraph that relays its outbox (payment, accounting), beside its own. */
export const outboxRelayEnv = {
  OUTBOX_SAFETY_POLL: envDuration.default(30_000),
};

export interface OutboxRelayConfig {
  /**
   * how long a relay sleeps without a wake before it looks at its outbox anyway: only for a wake that
   * never came (commits wake it, lib/events/outbox-relay.ts), so it bounds that rare delay at half the
   * consumers' own backfill interval for one statement per relay every 30 s at rest
   */
  safetyPollMs: number;
}

export function outboxRelayConfig(e: z.infer<z.ZodObject<typeof outboxRelayEnv>>): OutboxRelayConfig {
  return { safetyPollMs: Math.max(e.OUTBOX_SAFETY_POLL, 1) };
}

import type { Database, Dialect, Em } from '../database.js';
import type { ConsumerGroup } from '../events/consumer.js';
import { consumerLag, lagSources } from '../events/consumer-lag.js';
import type { OutboxReader } from '../events/outbox-route.js';
import { consumersCheck } from './consumers-check.js';
import { databaseCheck, migrationsCheck } from './database-check.js';
import { createLifecycle, type Lifecycle, type ReadinessCheck } from './readiness.js';
import { redisCheck } from './redis-check.js';

export interface SubgraphReadiness {
  /** read by /readyz at each request: the checks added as the parts start */
  checks: Record<string, ReadinessCheck>;
  lifecycle: Lifecycle;
  /** reads the pending migrations once (after they ran at open) */
  migrations: () => Promise<void>;
  /** the consumer's lag behind each producer it backfills from, within READINESS_MAX_LAG */
  consumers: (options: { fork: () => Em; dialect: Dialect; group: ConsumerGroup; outboxes: Readonly<Record<string, OutboxReader>>; maxLag: number }) => void;
  /** closes the Redis connection a check opened */
  close: () => Promise<void>;
}

/** A subgraph's /readyz: its database answers, its migrations are applied, its consumers keep up, its Redis answers (when it uses one). */
export function subgraphReadiness(options: { database: Database; redisUrl: string | undefined; service: string }): SubgraphReadiness {
  const checks: Record<string, ReadinessCheck> = { database: databaseCheck(options.database) };
  const redis = options.redisUrl ? redisCheck(options.redisUrl, options.service) : undefined;
  if (redis) checks['redis'] = redis.check;
  return {
    checks,
    lifecycle: createLifecycle(),
    migrations: async () => {
      checks['migrations'] = await migrationsCheck(options.database);
    },
    consumers: ({ fork, dialect, group, outboxes, maxLag }) => {
      const sources = lagSources(group, outboxes);
      if (sources.length > 0) checks['consumers'] = consumersCheck((window) => consumerLag({ fork, dialect, sources, window }), maxLag);
    },
    close: () => redis?.close() ?? Promise.resolve(),
  };
}

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

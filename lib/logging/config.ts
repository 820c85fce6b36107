import { z } from 'zod';
import { parseEnv, type Env, frozen, type Frozen } from '../config-loader.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const schema = z.object({
  NODE_ENV: z.string().optional(),
  VITEST: z.string().optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
});

export interface LogConfig {
  level: LogLevel;
  /** unset: pretty when not in production and stdout is a terminal, JSON otherwise (lib/logger.ts) */
  format: 'json' | 'pretty' | undefined;
  production: boolean;
}

/** The process's logging, shared by every service in it. Tests are silent unless LOG_LEVEL says otherwise: their output stays readable. */
export function loadLogConfig(env: Env = process.env): Frozen<LogConfig> {
  const e = parseEnv('logging', schema, env);
  const testing = e.NODE_ENV === 'test' || e.VITEST !== undefined;
  return frozen({
    level: e.LOG_LEVEL ?? (testing ? 'silent' : 'info'),
    format: e.LOG_FORMAT,
    production: e.NODE_ENV === 'production',
  });
}

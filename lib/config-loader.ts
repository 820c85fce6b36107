import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { metricsConfig, metricsHostEnv, type MetricsConfig } from './metrics/config.js';
import { publishOwnerOnlyFile } from './owner-only.js';
import { estimatedEntropyBits, MIN_SECRET_ENTROPY_BITS } from './secret-strength.js';

export type Env = Record<string, string | undefined>;

/** A config as its loader returns it: read-only down to its leaves. */
export type Frozen<T> = T extends (...args: never[]) => unknown ? T : T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;

/** Freezes a config to its leaves: parsed once, it is never edited afterwards (an assignment throws). */
export function frozen<T>(config: T): Frozen<T> {
  if (typeof config === 'object' && config !== null && !Object.isFrozen(config)) {
    for (const value of Object.values(config)) frozen(value);
    Object.freeze(config);
  }
  return config as Frozen<T>;
}

/** Parses a service's environment; a bad value stops the service with a message naming the variable. */
export function parseEnv<T extends z.ZodType>(service: string, schema: T, env: Env): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
  throw new Error(`${service}: invalid configuration\n${problems}`);
}

export const envBoolean = z
  .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
  .transform((value) => ['true', '1', 'on', 'yes'].includes(value));

export const envPort = z.coerce.number().int().min(0).max(65535);

export const envDatabaseUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL (unset means the embedded SQLite default)')
  .optional();

/** Durations such as 24h, 30m, 1d, 500ms, or plain milliseconds. */
export const envDuration = z.string().transform((value, ctx) => {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 500ms, 30s, 15m, 24h or 1d' });
    return z.NEVER;
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms']!;
  return Number(match[1]) * unit;
});

/**
 * A development secret: generated once and kept under DATA_DIR, so that services started
 * separately on one machine agree on it. Production requires it in the environment instead.
 * The folder is the owner's only (0700), the file too (0600); it appears whole or not at all,
 * so a service starting at the same moment reads the first one written.
 */
export function developmentSecret(dataDir: string, name: string): string {
  const file = join(dataDir, 'secrets', name);
  if (!existsSync(file)) publishOwnerOnlyFile(file, randomBytes(32).toString('base64url'));
  return readFileSync(file, 'utf8').trim();
}

/**
 * Production refuses a missing ADMIN_API_KEY or INTERNAL_SECRET, and one a person made up: under
 * MIN_SECRET_ENTROPY_BITS by estimatedEntropyBits (32 identical characters, a short pattern repeated).
 */
export function requireProductionSecrets(service: string, secrets: Record<string, string | undefined>): void {
  const problems = Object.entries(secrets).flatMap(([name, value]) => {
    if (!value) return [`  ${name}: is required when NODE_ENV=production`];
    const bits = estimatedEntropyBits(value);
    if (bits >= MIN_SECRET_ENTROPY_BITS) return [];
    return [
      `  ${name}: is too predictable for production (about ${Math.floor(bits)} bits of entropy, at least ${MIN_SECRET_ENTROPY_BITS} required): generate one, e.g. openssl rand -hex 32`,
    ];
  });
  if (problems.length > 0) throw new Error(`${service}: invalid configuration\n${problems.join('\n')}`);
}

/** The variables every subgraph reads the same way; each subgraph extends this with its own. */
export const subgraphEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  SUBGRAPH_HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: envDatabaseUrl,
  DATA_DIR: z.string().min(1).default('./data'),
  INTERNAL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SHUTDOWN_GRACE: envDuration.default(10_000),
  ...metricsHostEnv,
  MIGRATE_ON_START: envBoolean.default(true),
};

/** What every subgraph's config holds, read from `subgraphEnv` and its own port variable. */
export interface SubgraphConfig {
  production: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  internalSecret: string;
  /** how long a shutdown waits for the requests in flight (SHUTDOWN_GRACE) */
  shutdownGraceMs: number;
  /** where /metrics is served (its own port); null: off */
  metrics: MetricsConfig | null;
  /** false: the service refuses to start with pending migrations (production runs `migrate up` as its own step) */
  migrateOnStart: boolean;
}

/** The common part of a subgraph's config: a strong INTERNAL_SECRET is required in production, a development secret otherwise. */
export function subgraphConfig(service: string, e: z.infer<z.ZodObject<typeof subgraphEnv>>, port: number, metricsPort?: number): SubgraphConfig {
  const production = e.NODE_ENV === 'production';
  if (production) requireProductionSecrets(service, { INTERNAL_SECRET: e.INTERNAL_SECRET });
  return {
    production,
    port,
    host: e.SUBGRAPH_HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    internalSecret: e.INTERNAL_SECRET ?? developmentSecret(e.DATA_DIR, 'internal-secret'),
    shutdownGraceMs: e.SHUTDOWN_GRACE,
    metrics: metricsConfig(metricsPort, e.METRICS_HOST),
    migrateOnStart: e.MIGRATE_ON_START,
  };
}

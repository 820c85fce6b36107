import { z } from 'zod';
import { developmentSecret, envBoolean, envDuration, envPort, parseEnv, requireProductionSecrets, type Env, frozen, type Frozen } from '../lib/config-loader.js';
import { generateApiKey } from '../lib/api-key.js';
import { metricsConfig, metricsHostEnv, metricsPortEnv, type MetricsConfig } from '../lib/metrics/config.js';
import { isOrigin, type ResponseHeaderOptions } from './response-headers.js';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: envPort.default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  SHUTDOWN_GRACE: envDuration.default(10_000),
  METRICS_PORT: metricsPortEnv,
  ...metricsHostEnv,
  DATA_DIR: z.string().min(1).default('./data'),
  ADMIN_API_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  INTERNAL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PAYMENT_SUBGRAPH_URL: z.url().default('http://127.0.0.1:4001'),
  ACCOUNTING_SUBGRAPH_URL: z.url().default('http://127.0.0.1:4002'),
  TRANSACTION_SUBGRAPH_URL: z.url().default('http://127.0.0.1:4003'),
  ANALYTICS_SUBGRAPH_URL: z.url().default('http://127.0.0.1:4004'),
  API_KEY_CACHE_TTL: envDuration.default(30_000),
  MAX_SUBSCRIPTIONS_PER_KEY: z.coerce.number().int().min(1).max(100_000).default(20),
  SUBSCRIPTION_KEEP_ALIVE: envDuration.default(12_000),
  SUBSCRIPTION_MAX_BUFFERED_EVENTS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  SUBSCRIPTION_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(8 * 1024 * 1024),
  SUBSCRIPTION_MAX_CONCURRENT_EXECUTIONS: z.coerce.number().int().min(1).max(10_000).default(64),
  SUBSCRIPTION_EVENT_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  SUBSCRIPTION_EVENT_RETRY_DELAY: envDuration.default(250),

  // operation analysis (cost, tokens, aliases, mutations)
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  MAX_QUERY_COST: z.coerce.number().int().min(10).max(10_000_000).default(10_000),
  MAX_QUERY_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
  MAX_QUERY_ALIASES: z.coerce.number().int().min(0).max(100_000).default(100),
  MAX_QUERY_DIRECTIVES: z.coerce.number().int().min(0).max(100_000).default(50),
  MAX_MUTATIONS_PER_OPERATION: z.coerce.number().int().min(1).max(1000).default(5),

  // rate, concurrency and connection limits
  RATE_LIMIT_WINDOW: envDuration.default(10_000),
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(1).default(500),
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(1000),
  MAX_CONCURRENT_REQUESTS_PER_KEY: z.coerce.number().int().min(1).max(100_000).default(20),
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(20),
  AUTH_FAILURE_WINDOW: envDuration.default(300_000),
  MAX_WEBSOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  MAX_WEBSOCKETS_PER_KEY: z.coerce.number().int().min(1).default(20),
  // express's 'trust proxy': true/false, a hop count, or a list of addresses and subnets
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((value): boolean | number | string => {
      if (['false', '0', ''].includes(value)) return false;
      if (value === 'true') return true;
      return /^\d+$/.test(value) ? Number(value) : value;
    }),

  // persisted operations
  PERSISTED_OPERATIONS_FILE: z.string().min(1).optional(),
  PERSISTED_OPERATIONS_ONLY: envBoolean.default(false),
  PERSISTED_QUERIES_TTL: envDuration.default(86_400_000),

  // response headers and CORS
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const origins = value.split(',').map((origin) => origin.trim()).filter(Boolean);
      const bad = origins.find((origin) => !isOrigin(origin));
      if (bad === undefined) return origins;
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(bad)} is no origin: list exact origins such as https://app.example.com, comma-separated (no *, path or trailing slash)` });
      return z.NEVER;
    }),
  HSTS_MAX_AGE: z.coerce.number().int().min(0).max(63_072_000).default(0),
});

export interface GatewayConfig {
  production: boolean;
  port: number;
  host: string;
  /** how long a shutdown waits for the requests in flight (SHUTDOWN_GRACE) */
  shutdownGraceMs: number;
  /** where /metrics is served (its own port, not the public one); null: off */
  metrics: MetricsConfig | null;
  adminApiKey: string;
  /** true when ADMIN_API_KEY was unset and a key was generated for this run (development) */
  adminApiKeyGenerated: boolean;
  internalSecret: string;
  /** each subgraph's base URL (its /graphql and /health hang below it) */
  subgraphs: { payment: string; accounting: string; transaction: string; analytics: string };
  apiKeyCacheTtlMs: number;
  subscriptions: {
    /** open subscriptions one API key may hold on one gateway instance */
    maxPerKey: number;
    /** WebSocket ping interval; a socket that misses a pong is dropped */
    keepAliveMs: number;
    /** results one subscriber may have waiting before it is closed as fallen behind */
    maxBufferedEvents: number;
    /** bytes one connection may have waiting in its socket before its subscribers count as fallen behind */
    maxBufferedBytes: number;
    /** event executions running at once */
    maxConcurrentExecutions: number;
    /** how often an event (or a replay page) that failed for a transient reason is tried again before the subscription ends */
    eventRetries: number;
    /** the wait before the first retry; it doubles before each further one */
    eventRetryDelayMs: number;
  };

  // operation analysis (cost, tokens, aliases, mutations)
  /** what one operation may ask, measured before planning (gateway/operation-analysis.ts); over a limit is QUERY_TOO_COMPLEX */
  operationLimits: {
    /** fields nested on one path */
    maxDepth: number;
    /** 1 per field, a list field's selection times its page size (`first`) */
    maxCost: number;
    /** lexical tokens a document may have: the parser stops beyond (BAD_USER_INPUT) */
    maxTokens: number;
    maxAliases: number;
    maxDirectives: number;
    /** root mutation fields one request may run */
    maxMutations: number;
  };

  // rate, concurrency and connection limits
  rateLimits: {
    /** the window of the request budgets below (fixed windows, counted in Redis when REDIS_URL is set) */
    windowMs: number;
    /** requests (HTTP, WebSocket subscribes) one API key may make per window; the ADMIN key is exempt */
    perKey: number;
    /** requests and WebSocket connections one client address may make per window */
    perAddress: number;
    /** requests of one API key in flight at once on this instance; the ADMIN key is exempt */
    maxConcurrentPerKey: number;
    /** failed authentications after which an address is refused until its window ends */
    authFailures: number;
    authFailureWindowMs: number;
    /** open WebSocket connections per client address, and per API key (the ADMIN key is exempt), on this instance */
    maxWebSocketsPerAddress: number;
    maxWebSocketsPerKey: number;
    /** express's 'trust proxy': false (the socket's address is the client's), true, a hop count, or addresses/subnets */
    trustProxy: boolean | number | string;
  };

  // persisted operations
  persistedOperations: {
    /** Apollo's persisted query manifest: operations registered in advance, run by id or by identical text */
    file: string | undefined;
    /** true: only the manifest's operations run (ADMIN keys excepted), and automatic persisted queries register nothing */
    only: boolean;
    /** how long an automatic persisted query stays registered, in whole seconds */
    apqTtlSeconds: number;
  };

  // response headers and CORS
  headers: ResponseHeaderOptions;
}

export function loadGatewayConfig(env: Env = process.env): Frozen<GatewayConfig> {
  const e = parseEnv('gateway', schema, env);
  const production = e.NODE_ENV === 'production';
  if (production) requireProductionSecrets('gateway', { ADMIN_API_KEY: e.ADMIN_API_KEY, INTERNAL_SECRET: e.INTERNAL_SECRET });
  return frozen({
    production,
    port: e.PORT,
    host: e.HOST,
    shutdownGraceMs: e.SHUTDOWN_GRACE,
    metrics: metricsConfig(e.METRICS_PORT, e.METRICS_HOST),
    adminApiKey: e.ADMIN_API_KEY ?? generateApiKey(),
    adminApiKeyGenerated: !e.ADMIN_API_KEY,
    internalSecret: e.INTERNAL_SECRET ?? developmentSecret(e.DATA_DIR, 'internal-secret'),
    subgraphs: {
      payment: e.PAYMENT_SUBGRAPH_URL.replace(/\/+$/, ''),
      accounting: e.ACCOUNTING_SUBGRAPH_URL.replace(/\/+$/, ''),
      transaction: e.TRANSACTION_SUBGRAPH_URL.replace(/\/+$/, ''),
      analytics: e.ANALYTICS_SUBGRAPH_URL.replace(/\/+$/, ''),
    },
    apiKeyCacheTtlMs: e.API_KEY_CACHE_TTL,
    subscriptions: {
      maxPerKey: e.MAX_SUBSCRIPTIONS_PER_KEY,
      keepAliveMs: e.SUBSCRIPTION_KEEP_ALIVE,
      maxBufferedEvents: e.SUBSCRIPTION_MAX_BUFFERED_EVENTS,
      maxBufferedBytes: e.SUBSCRIPTION_MAX_BUFFERED_BYTES,
      maxConcurrentExecutions: e.SUBSCRIPTION_MAX_CONCURRENT_EXECUTIONS,
      eventRetries: e.SUBSCRIPTION_EVENT_RETRIES,
      eventRetryDelayMs: e.SUBSCRIPTION_EVENT_RETRY_DELAY,
    },

    // operation analysis (cost, tokens, aliases, mutations)
    operationLimits: {
      maxDepth: e.MAX_QUERY_DEPTH,
      maxCost: e.MAX_QUERY_COST,
      maxTokens: e.MAX_QUERY_TOKENS,
      maxAliases: e.MAX_QUERY_ALIASES,
      maxDirectives: e.MAX_QUERY_DIRECTIVES,
      maxMutations: e.MAX_MUTATIONS_PER_OPERATION,
    },

    // rate, concurrency and connection limits
    rateLimits: {
      windowMs: e.RATE_LIMIT_WINDOW,
      perKey: e.RATE_LIMIT_PER_KEY,
      perAddress: e.RATE_LIMIT_PER_ADDRESS,
      maxConcurrentPerKey: e.MAX_CONCURRENT_REQUESTS_PER_KEY,
      authFailures: e.AUTH_FAILURE_LIMIT,
      authFailureWindowMs: e.AUTH_FAILURE_WINDOW,
      maxWebSocketsPerAddress: e.MAX_WEBSOCKETS_PER_ADDRESS,
      maxWebSocketsPerKey: e.MAX_WEBSOCKETS_PER_KEY,
      trustProxy: e.TRUST_PROXY,
    },

    // persisted operations
    persistedOperations: {
      file: e.PERSISTED_OPERATIONS_FILE,
      only: e.PERSISTED_OPERATIONS_ONLY,
      apqTtlSeconds: Math.max(1, Math.round(e.PERSISTED_QUERIES_TTL / 1000)),
    },

    // response headers and CORS
    headers: { corsOrigins: e.CORS_ORIGINS, hstsMaxAgeSeconds: e.HSTS_MAX_AGE || null },
  });
}

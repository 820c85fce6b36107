import { z } from 'zod';
import { developmentSecret, envDuration, envPort, parseEnv, type Env, frozen, type Frozen } from '../lib/config-loader.js';
import { generateApiKey } from '../lib/api-key.js';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: envPort.default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
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

  // persisted operations

  // response headers and CORS
});

export interface GatewayConfig {
  production: boolean;
  port: number;
  host: string;
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

  // persisted operations

  // response headers and CORS
}

export function loadGatewayConfig(env: Env = process.env): Frozen<GatewayConfig> {
  const e = parseEnv('gateway', schema, env);
  const production = e.NODE_ENV === 'production';
  if (production && !e.ADMIN_API_KEY) throw new Error('gateway: invalid configuration\n  ADMIN_API_KEY: is required when NODE_ENV=production');
  if (production && !e.INTERNAL_SECRET) throw new Error('gateway: invalid configuration\n  INTERNAL_SECRET: is required when NODE_ENV=production');
  return frozen({
    production,
    port: e.PORT,
    host: e.HOST,
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

    // persisted operations

    // response headers and CORS
  });
}

import { randomBytes } from 'node:crypto';
import type { Env } from '../lib/config-loader.js';

/** The services of Paygraph, in the order they start: what a service calls has started before it. */
export const SERVICES = ['card-simulator', 'alipay-simulator', 'wechat-pay-simulator', 'payment', 'accounting', 'transaction', 'analytics', 'gateway'] as const;
export type Service = (typeof SERVICES)[number];

/** The URLs of the services started so far (the Alipay simulator's is its OpenAPI gateway's). */
export type ServiceUrls = Partial<Record<Service, string>>;

/** Which of the others' URLs each service is configured with, by variable. */
const LINKS: Partial<Record<Service, Record<string, Service>>> = {
  payment: { CARD_PROVIDER_URL: 'card-simulator', ALIPAY_GATEWAY_URL: 'alipay-simulator', WECHATPAY_URL: 'wechat-pay-simulator' },
  // accounting asks the payment subgraph for providers' statements (reconciliation); every consumer
  // reads its producers' outboxes to fill what its transport lost (lib/events/outbox-route.ts)
  accounting: { PAYMENT_SUBGRAPH_URL: 'payment' },
  transaction: { PAYMENT_SUBGRAPH_URL: 'payment', ACCOUNTING_SUBGRAPH_URL: 'accounting' },
  analytics: { PAYMENT_SUBGRAPH_URL: 'payment', ACCOUNTING_SUBGRAPH_URL: 'accounting' },
  gateway: {
    PAYMENT_SUBGRAPH_URL: 'payment',
    ACCOUNTING_SUBGRAPH_URL: 'accounting',
    TRANSACTION_SUBGRAPH_URL: 'transaction',
    ANALYTICS_SUBGRAPH_URL: 'analytics',
  },
};

/**
 * The environment a service's config is parsed from: the system's (shared INTERNAL_SECRET, DATA_DIR,
 * DATABASE_URL, REDIS_URL, …) with the URLs of the services it calls that have started, unless the
 * system's environment names them itself.
 */
export function serviceEnv(service: Service, env: Env, urls: ServiceUrls): Env {
  const links = Object.entries(LINKS[service] ?? {}).flatMap(([name, target]) => {
    const url = urls[target];
    return url !== undefined && env[name] === undefined ? [[name, url] as const] : [];
  });
  return { ...env, ...Object.fromEntries(links) };
}

/**
 * Rate and connection limits out of the way: tests and benchmarks send hundreds of requests a second,
 * all from 127.0.0.1 and with a few keys (tests of the limits set small ones of their own).
 */
const unthrottled = {
  RATE_LIMIT_PER_KEY: '1000000',
  RATE_LIMIT_PER_ADDRESS: '1000000',
  MAX_CONCURRENT_REQUESTS_PER_KEY: '100000',
  AUTH_FAILURE_LIMIT: '1000000',
  MAX_WEBSOCKETS_PER_ADDRESS: '1000000',
  MAX_WEBSOCKETS_PER_KEY: '1000000',
};

/**
 * The environment of a system of its own (a test file's, a benchmark's): fresh secrets, every service on a free
 * port of 127.0.0.1, the simulators as channels. NODE_ENV=test, since production refuses the simulators (SANDBOX).
 */
export function isolatedEnv() {
  return {
    NODE_ENV: 'test',
    INTERNAL_SECRET: randomBytes(32).toString('base64url'),
    ADMIN_API_KEY: `pgk_admin_${randomBytes(24).toString('base64url')}`,
    CARD_PROVIDER_API_KEY: randomBytes(24).toString('base64url'),
    CARD_WEBHOOK_SECRET: randomBytes(24).toString('base64url'),
    SANDBOX: 'true',
    CARD_SIMULATOR_PORT: '0',
    ALIPAY_SIMULATOR_PORT: '0',
    WECHATPAY_SIMULATOR_PORT: '0',
    PAYMENT_PORT: '0',
    ACCOUNTING_PORT: '0',
    TRANSACTION_PORT: '0',
    ANALYTICS_PORT: '0',
    PORT: '0',
    HOST: '127.0.0.1',
    // a request a test leaves hanging delays its system's stop by this much at most
    SHUTDOWN_GRACE: '1s',
    ...unthrottled,
  } satisfies Env;
}

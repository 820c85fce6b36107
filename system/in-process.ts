import { loadGatewayConfig, type GatewayConfig } from '../gateway/config.js';
import { rateLimitRedis } from '../gateway/rate-limits/redis-store.js';
import { startGateway, type GatewayServer } from '../gateway/server.js';
import type { Clock } from '../lib/clock.js';
import type { Env } from '../lib/config-loader.js';
import { loadEventsConfig, type EventsConfig } from '../lib/events/config.js';
import type { EventTransport } from '../lib/events/event.js';
import { createTransport } from '../lib/events/transport.js';
import { requireRedis } from '../lib/health/redis-check.js';
import { configureLogging, type LogDestination } from '../lib/logger.js';
import { loadLogConfig } from '../lib/logging/config.js';
import { createRedisNonceStore, type NonceStore } from '../lib/nonce-store.js';
import { loadAlipaySimulatorConfig } from '../simulators/alipay/config.js';
import { startAlipaySimulator, type AlipaySimulator, type AlipaySimulatorOptions } from '../simulators/alipay/server.js';
import { loadCardSimulatorConfig } from '../simulators/card/config.js';
import { startCardSimulator, type CardSimulator, type CardSimulatorOptions } from '../simulators/card/server.js';
import { loadWechatPaySimulatorConfig } from '../simulators/wechat/config.js';
import { startWechatPaySimulator, type WechatPaySimulator, type WechatPaySimulatorOptions } from '../simulators/wechat/server.js';
import { loadAccountingConfig, type AccountingConfig } from '../subgraphs/accounting/config.js';
import { startAccountingSubgraph, type AccountingSubgraph, type AccountingSubgraphOptions } from '../subgraphs/accounting/index.js';
import { loadAnalyticsConfig, type AnalyticsConfig } from '../subgraphs/analytics/config.js';
import { startAnalyticsSubgraph, type AnalyticsSubgraph, type AnalyticsSubgraphOptions } from '../subgraphs/analytics/index.js';
import { loadPaymentConfig, paymentSandbox, type PaymentConfig } from '../subgraphs/payment/config.js';
import { startPaymentSubgraph, type PaymentSubgraph, type PaymentSubgraphOptions } from '../subgraphs/payment/index.js';
import { loadTransactionConfig, type TransactionConfig } from '../subgraphs/transaction/config.js';
import { startTransactionSubgraph, type TransactionSubgraph, type TransactionSubgraphOptions } from '../subgraphs/transaction/index.js';
import { serviceEnv, type ServiceUrls } from './topology.js';

export type TransportUser = 'payment' | 'accounting' | 'transaction' | 'analytics' | 'gateway';
type Wiring = 'transport' | 'clock' | 'nonces';

export interface InProcessSystemOptions {
  /** the environment every config is parsed from, once (npm start: process.env) */
  env: Env;
  /** the simulators' settings instead of their environment's (tests: keys of their own, quick retries) */
  simulators?: { card?: CardSimulatorOptions; alipay?: AlipaySimulatorOptions; wechatPay?: WechatPaySimulatorOptions };
  /** the transport of each service; default: one from the environment (lib/events/config.ts), shared by all */
  transportFor?: (service: TransportUser, replica: number) => EventTransport;
  /** where each subgraph replica keeps the nonces of signed requests; default: Redis when REDIS_URL is set (shared by all), else each its own memory */
  noncesFor?: (service: Exclude<TransportUser, 'gateway'>, replica: number) => NonceStore | undefined;
  /** accounting replicas sharing one database and consumer group (default 1) */
  accountingReplicas?: number;
  /** the gateways' environment beyond the system's, e.g. MAX_SUBSCRIPTIONS_PER_KEY */
  gatewayEnv?: Env;
  /** gateway replicas in front of the same subgraphs (default 1) */
  gatewayReplicas?: number;
  clock?: Clock;
  /** where every service's log lines go (default stdout, as LOG_FORMAT says), at LOG_LEVEL of `env` */
  logs?: LogDestination;
  payment?: Omit<PaymentSubgraphOptions, Wiring | 'publicUrl'>;
  accounting?: (replica: number) => Omit<AccountingSubgraphOptions, Wiring>;
  transaction?: Omit<TransactionSubgraphOptions, Wiring>;
  analytics?: Omit<AnalyticsSubgraphOptions, Wiring>;
}

export interface InProcessSystem {
  /** each service's config, as parsed once from the environment with the others' URLs */
  configs: {
    events: EventsConfig;
    payment: PaymentConfig;
    accounting: AccountingConfig;
    transaction: TransactionConfig;
    analytics: AnalyticsConfig;
    gateway: GatewayConfig;
  };
  /** the simulators started (none when the environment names the providers, or outside the sandbox) */
  simulators: { card?: CardSimulator; alipay?: AlipaySimulator; wechatPay?: WechatPaySimulator };
  payment: PaymentSubgraph;
  accounting: AccountingSubgraph;
  accountingReplicas: AccountingSubgraph[];
  transaction: TransactionSubgraph;
  analytics: AnalyticsSubgraph;
  gateway: GatewayServer;
  gateways: GatewayServer[];
  /** one more gateway in front of the same subgraphs, its environment overridden (the caller closes it) */
  startGateway: (overrides: Env, transport: EventTransport | undefined) => Promise<GatewayServer>;
  /** closes every service in the reverse order of their start, then the transport it created */
  close: () => Promise<void>;
}

/**
 * The whole system in this process: the simulators the sandbox needs first, then the four subgraphs and the
 * gateway(s), each its own HTTP server with its own database, each config parsed once with the URLs of the
 * services started before it. If a service fails to start, those already started are closed.
 */
export async function startInProcessSystem(options: InProcessSystemOptions): Promise<InProcessSystem> {
  const { env, clock } = options;
  const closers: (() => Promise<void>)[] = [];
  const started = <T extends { close: () => Promise<void> }>(service: T): T => {
    closers.push(service.close);
    return service;
  };
  const close = async () => {
    for (const closeOne of closers.splice(0).reverse()) await closeOne();
  };
  configureLogging(loadLogConfig(env), options.logs);
  try {
    const events = loadEventsConfig(env);
    if (events.redisUrl) await requireRedis('events', events.redisUrl);
    const redisUrl = events.redisUrl;
    const shared = options.transportFor ? undefined : started(createTransport(events));
    const transportFor = options.transportFor ?? (() => shared!);
    const sharedNonces = options.noncesFor || !events.redisUrl ? undefined : started(createRedisNonceStore({ url: events.redisUrl }));
    const noncesFor = options.noncesFor ?? (() => sharedNonces);
    const urls: ServiceUrls = {};
    const simulators: InProcessSystem['simulators'] = {};
    if (paymentSandbox(env)) {
      if (env['CARD_PROVIDER_URL'] === undefined) {
        simulators.card = started(await startCardSimulator(options.simulators?.card ?? loadCardSimulatorConfig(env)));
        urls['card-simulator'] = simulators.card.url;
      }
      if (env['ALIPAY_GATEWAY_URL'] === undefined) {
        simulators.alipay = started(await startAlipaySimulator(options.simulators?.alipay ?? loadAlipaySimulatorConfig(env)));
        urls['alipay-simulator'] = simulators.alipay.gatewayUrl;
      }
      if (env['WECHATPAY_URL'] === undefined) {
        simulators.wechatPay = started(await startWechatPaySimulator(options.simulators?.wechatPay ?? loadWechatPaySimulatorConfig(env)));
        urls['wechat-pay-simulator'] = simulators.wechatPay.url;
      }
    }
    const paymentConfig = loadPaymentConfig(serviceEnv('payment', env, urls));
    // Providers reach the payment subgraph's callbacks through the gateway's host, as in production; it starts last.
    let gatewayUrl = '';
    const payment = started(
      await startPaymentSubgraph(paymentConfig, {
        ...options.payment,
        transport: transportFor('payment', 0),
        nonces: noncesFor('payment', 0),
        redisUrl,
        clock,
        ...(paymentConfig.publicUrl ? {} : { publicUrl: () => gatewayUrl }),
      }),
    );
    urls.payment = payment.url;
    const accountingConfig = loadAccountingConfig(serviceEnv('accounting', env, urls));
    const accountingReplicas: AccountingSubgraph[] = [];
    for (let replica = 0; replica < (options.accountingReplicas ?? 1); replica++) {
      const subgraph = await startAccountingSubgraph(accountingConfig, { ...options.accounting?.(replica), transport: transportFor('accounting', replica), nonces: noncesFor('accounting', replica), redisUrl, clock });
      accountingReplicas.push(started(subgraph));
    }
    const accounting = accountingReplicas[0]!;
    urls.accounting = accounting.url;
    const transactionConfig = loadTransactionConfig(serviceEnv('transaction', env, urls));
    const transaction = started(await startTransactionSubgraph(transactionConfig, { ...options.transaction, transport: transportFor('transaction', 0), nonces: noncesFor('transaction', 0), redisUrl, clock }));
    urls.transaction = transaction.url;
    const analyticsConfig = loadAnalyticsConfig(serviceEnv('analytics', env, urls));
    const analytics = started(await startAnalyticsSubgraph(analyticsConfig, { ...options.analytics, transport: transportFor('analytics', 0), nonces: noncesFor('analytics', 0), redisUrl, clock }));
    urls.analytics = analytics.url;
    const gatewayConfig = loadGatewayConfig(serviceEnv('gateway', { ...env, ...options.gatewayEnv }, urls));
    // the replicas share what REDIS_URL names: rate limits and automatic persisted queries
    const gatewayRedisUrl = (overrides: Env = {}) => loadEventsConfig({ ...env, ...options.gatewayEnv, ...overrides }).redisUrl;
    const rateLimitStore = events.redisUrl ? started(rateLimitRedis(events.redisUrl)).client : undefined;
    const gateways: GatewayServer[] = [];
    for (let replica = 0; replica < (options.gatewayReplicas ?? 1); replica++) {
      gateways.push(started(await startGateway(gatewayConfig, { transport: transportFor('gateway', replica), redisUrl: gatewayRedisUrl(), rateLimitRedis: rateLimitStore, clock })));
    }
    const gateway = gateways[0]!;
    gatewayUrl = gateway.url;
    return {
      configs: { events, payment: paymentConfig, accounting: accountingConfig, transaction: transactionConfig, analytics: analyticsConfig, gateway: gatewayConfig },
      simulators,
      payment,
      accounting,
      accountingReplicas,
      transaction,
      analytics,
      gateway,
      gateways,
      startGateway: (overrides, transport) =>
        startGateway(loadGatewayConfig(serviceEnv('gateway', { ...env, ...options.gatewayEnv, ...overrides }, urls)), {
          transport,
          redisUrl: gatewayRedisUrl(overrides),
          rateLimitRedis: rateLimitStore,
          clock,
        }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

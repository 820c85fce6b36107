import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayServer } from '../../gateway/server.js';
import type { WechatPaySandboxKeys } from '../../simulators/wechat/sandbox-keys.js';
import type { PaymentSubgraph } from '../../subgraphs/payment/index.js';
import { freshDatabaseUrl } from './database.js';
import type { EventTransport } from '../../lib/events/event.js';
import { createInProcessTransport } from '../../lib/events/in-process-transport.js';
import type { AccountingSubgraph } from '../../subgraphs/accounting/index.js';
import type { TransactionSubgraph } from '../../subgraphs/transaction/index.js';
import type { AnalyticsSubgraph } from '../../subgraphs/analytics/index.js';
import { startInProcessSystem, type InProcessSystemOptions } from '../../system/in-process.js';
import { isolatedEnv } from '../../system/topology.js';
import { createTestClock, type TestClock } from './clock.js';
import { testKeyPair, testWechatPayKeys } from './keys.js';

import { gatewayClient, type GraphQLResponse } from './graphql.js';
import type { CreateMerchantResult } from './operations.js';

export type { GraphQLResponse } from './graphql.js';

export interface System {
  gatewayUrl: string;
  /** the first gateway's /metrics (METRICS_PORT in gatewayEnv), null when off */
  gatewayMetricsUrl: string | null;
  /** every gateway replica's URL (the first is gatewayUrl) */
  gatewayUrls: string[];
  paymentUrl: string;
  simulatorUrl: string;
  /** the Alipay simulator's base URL (gateway at /gateway.do, sandbox controls at /sandbox/…) */
  alipaySimulatorUrl: string;
  /** the Alipay simulator's private key (PKCS#8 PEM): what only Alipay holds, for tests that sign as Alipay */
  alipayPrivateKey: string;
  alipayAppId: string;
  /** the WeChat Pay simulator's base URL (API v3 at /v3/…, sandbox controls at /sandbox/…) */
  wechatPaySimulatorUrl: string;
  /** the keys the WeChat Pay simulator and the payment subgraph share, WeChat Pay's private key included: for tests that sign as WeChat Pay */
  wechatPayKeys: WechatPaySandboxKeys;
  adminKey: string;
  internalSecret: string;
  dataDir: string;
  databaseUrl: string | undefined;
  payment: PaymentSubgraph;
  accounting: AccountingSubgraph;
  accountingReplicas: AccountingSubgraph[];
  /** SQL statements run by the payment subgraph, in order (tests count them) */
  paymentQueries: string[];
  transaction: TransactionSubgraph;
  /** SQL statements run by the transaction subgraph, in order (tests count them) */
  transactionQueries: string[];
  analytics: AnalyticsSubgraph;
  /** SQL statements run by the analytics subgraph, in order (tests see which store answered) */
  analyticsQueries: string[];
  /** the event transport between subgraphs (in-process, as in the embedded default) */
  transport: EventTransport;
  /** the clock of both subgraphs: tests move it forward instead of sleeping */
  clock: TestClock;
  /** SQL statements run by the accounting subgraph, in order (tests count them) */
  accountingQueries: string[];
  /** POST a GraphQL operation to the gateway with the given key (none when null) */
  query<T = unknown>(apiKey: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** a new merchant and its MERCHANT key, created through the API */
  seedMerchant(name?: string): Promise<{ merchantId: string; apiKey: string }>;
  /** sandbox control of the card simulator: make every provider answer slow */
  setProviderLatency(ms: number): Promise<void>;
  /** one more gateway in front of the same subgraphs (the caller closes it); transport null: none */
  startGateway(env: Record<string, string>, transport: EventTransport | null): Promise<GatewayServer>;
  stop(): Promise<void>;
}

/**
 * The real system for a black-box test file: card simulator, payment, accounting, transaction and analytics subgraphs and gateway, each an
 * HTTP server on a free port, over a fresh database (SQLite in a temporary directory, or a new
 * PostgreSQL database when the suite runs on PostgreSQL).
 */
export interface SystemOptions {
  /** the transport each service uses (default: one in-process transport shared by all) */
  transportFor?: (service: 'payment' | 'accounting' | 'transaction' | 'analytics' | 'gateway', replica: number) => EventTransport;
  /** where each subgraph replica keeps the nonces of signed requests (default: each its own memory) */
  noncesFor?: InProcessSystemOptions['noncesFor'];
  /** accounting replicas sharing one database and consumer group (default 1) */
  accountingReplicas?: number;
  /** extra gateway environment, e.g. MAX_SUBSCRIPTIONS_PER_KEY */
  gatewayEnv?: Record<string, string>;
  /** gateway replicas in front of the same subgraphs (default 1) */
  gatewayReplicas?: number;
  /** rows per read of a statement in the transaction subgraph (small: many batches) */
  statementBatchSize?: number;
  /** where the services' log lines go (test/support/log-capture.ts); with env LOG_LEVEL, as the tests default to silent */
  logs?: InProcessSystemOptions['logs'];
  /** the services' environment beyond the test defaults, e.g. a job's interval */
  env?: Record<string, string>;
}

export async function startSystem(options: SystemOptions = {}): Promise<System> {
  const dataDir = mkdtempSync(join(tmpdir(), 'paygraph-test-'));
  const databaseUrl = await freshDatabaseUrl();
  // fixed keys: a system starts without generating any (1: the merchant's Alipay app key, 2: Alipay's)
  const appKeys = testKeyPair(1);
  const alipayKeys = testKeyPair(2);
  const alipayAppId = '2021000000000042';
  const wechatPayKeys = testWechatPayKeys();
  const base = isolatedEnv();
  const env = {
    ...base,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ALIPAY_APP_ID: alipayAppId,
    ALIPAY_PRIVATE_KEY: appKeys.privateKey,
    ALIPAY_PUBLIC_KEY: alipayKeys.publicKey,
    WECHATPAY_MCHID: wechatPayKeys.mchid,
    WECHATPAY_APPID: wechatPayKeys.appid,
    WECHATPAY_MERCHANT_SERIAL: wechatPayKeys.merchant.serial,
    WECHATPAY_MERCHANT_PRIVATE_KEY: wechatPayKeys.merchant.privateKey,
    WECHATPAY_PLATFORM_SERIAL: wechatPayKeys.platform.serial,
    WECHATPAY_PLATFORM_PUBLIC_KEY: wechatPayKeys.platform.publicKey,
    WECHATPAY_APIV3_KEY: wechatPayKeys.apiV3Key,
    // tests run the recovery job themselves (payment.runRecovery), after moving the clock
    PAYMENT_RECOVERY_INTERVAL: '1h',
    ...options.env,
  };
  const transport = createInProcessTransport();
  const clock = createTestClock();
  const accountingQueries: string[] = [];
  const transactionQueries: string[] = [];
  const analyticsQueries: string[] = [];
  const paymentQueries: string[] = [];
  const system = await startInProcessSystem({
    env,
    simulators: {
      card: { port: 0, apiKey: base.CARD_PROVIDER_API_KEY, webhookSecret: base.CARD_WEBHOOK_SECRET },
      alipay: { port: 0, appId: alipayAppId, appPublicKey: appKeys.publicKey, privateKey: alipayKeys.privateKey },
      // WeChat Pay's retry schedule (15 s, 15 s, 30 s, …) in milliseconds; refunds settle after 50 ms
      wechatPay: { port: 0, keys: wechatPayKeys, notifyRetryDelaysMs: [15, 15, 30, 180, 600], refundSettleMs: 50 },
    },
    transportFor: options.transportFor ?? (() => transport),
    noncesFor: options.noncesFor,
    accountingReplicas: options.accountingReplicas,
    gatewayReplicas: options.gatewayReplicas,
    gatewayEnv: options.gatewayEnv,
    clock,
    logs: options.logs,
    payment: { onQuery: (sql) => void paymentQueries.push(sql) },
    accounting: (replica) => ({ consumerName: `accounting-${replica}`, onQuery: (sql) => void accountingQueries.push(sql) }),
    transaction: { consumerName: 'transaction-0', statementBatchSize: options.statementBatchSize, onQuery: (sql) => void transactionQueries.push(sql) },
    analytics: { consumerName: 'analytics-0', onQuery: (sql) => void analyticsQueries.push(sql) },
  });
  const { gateway, payment, accounting, transaction, analytics } = system;
  const simulator = system.simulators.card!;
  const adminKey = env.ADMIN_API_KEY;
  const internalSecret = env.INTERNAL_SECRET;

  const query: System['query'] = gatewayClient(gateway.url);

  return {
    gatewayUrl: gateway.url,
    gatewayMetricsUrl: gateway.metricsUrl,
    gatewayUrls: system.gateways.map((replica) => replica.url),
    paymentUrl: payment.url,
    simulatorUrl: simulator.url,
    alipaySimulatorUrl: system.simulators.alipay!.url,
    alipayPrivateKey: alipayKeys.privateKey,
    alipayAppId,
    wechatPaySimulatorUrl: system.simulators.wechatPay!.url,
    wechatPayKeys,
    adminKey,
    internalSecret,
    dataDir,
    databaseUrl,
    payment,
    paymentQueries,
    accounting,
    accountingReplicas: system.accountingReplicas,
    transaction,
    transactionQueries,
    analytics,
    analyticsQueries,
    transport,
    clock,
    accountingQueries,
    query,
    async seedMerchant(name = 'Test merchant') {
      const result = await query<CreateMerchantResult>(adminKey, 'mutation($name: String!) { createMerchant(input: { name: $name }) { merchant { id } apiKey } }', { name });
      if (!result.data) throw new Error(`createMerchant failed: ${JSON.stringify(result.errors)}`);
      return { merchantId: result.data.createMerchant.merchant.id, apiKey: result.data.createMerchant.apiKey };
    },
    startGateway: (overrides, transport) => system.startGateway(overrides, transport ?? undefined),
    async setProviderLatency(ms) {
      const response = await fetch(`${simulator.url}/sandbox/latency`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ms }),
      });
      if (!response.ok) throw new Error(`latency control failed: ${response.status}`);
    },
    async stop() {
      await system.close();
      await transport.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

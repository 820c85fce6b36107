import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { systemClock, type Clock } from '../../lib/clock.js';
import { openDatabase, type Database } from '../../lib/database.js';
import type { RunningServer } from '../../lib/http-server.js';
import { startSubgraphServer } from '../../lib/subgraph-server.js';
import { PAYMENT_EVENTS, type EventTransport } from '../../lib/events/event.js';
import { startOutboxRelay } from '../../lib/events/outbox-relay.js';
import { startOutboxPruning } from '../../lib/events/outbox-retention.js';
import { logInternalError } from '../../lib/log.js';
import type { Principal } from '../../lib/principal.js';
import { readSubscriptionEvent } from '../../lib/subscription-event.js';
import type { PaymentConfig } from './config.js';
import type { Context } from './context.js';
import type { ChannelRegistry } from './channels/channel.js';
import { CardChannel } from './channels/card/channel.js';
import { CardProviderClient } from './channels/card/client.js';
import { AlipayChannel } from './channels/alipay/channel.js';
import { AlipayClient } from './channels/alipay/client.js';
import { WechatPayChannel } from './channels/wechat/channel.js';
import { WechatPayClient } from './channels/wechat/client.js';
import { IntervalJob } from '../../lib/interval-job.js';
import { entities } from './entities/index.js';
import { mountPaymentRoutes } from './http-routes.js';
import { createLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { IdempotencyService } from './services/idempotency.js';
import { MerchantService } from './services/merchants.js';
import { PaymentService } from './services/payments.js';
import { PaymentRecovery, type RecoveryRun } from './services/payment-recovery.js';
import { ProviderCallbackService } from './services/provider-callbacks.js';
import { RefundService } from './services/refunds.js';
import { statusEventsAfter, statusEventsAfterPosition } from './services/status-events.js';

const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

export interface PaymentSubgraphOptions {
  /** where the outbox relay publishes this subgraph's events; none: events stay in the outbox */
  transport?: EventTransport;
  clock?: Clock;
  /** receives every SQL statement (tests count them) */
  onQuery?: (sql: string) => void;
  onInternalError?: (error: unknown) => void;
  /** the public host providers send callbacks to, when it is known only later (a gateway started after this on any free port) */
  publicUrl?: () => string;
}

/** Wires the payment subgraph: database, channels, services per request, and its HTTP server. */
export interface PaymentSubgraph extends RunningServer {
  database: Database;
  /** the channels' connectors, e.g. for fetching a provider's statement */
  channels: ChannelRegistry;
  /** publishes every event still in the outbox now (the relay also does so continuously) */
  flushOutbox: () => Promise<number>;
  /** runs the recovery job now (it also runs every PAYMENT_RECOVERY_INTERVAL): lost callbacks, expired QR codes, PENDING refunds */
  runRecovery: () => Promise<RecoveryRun>;
}

export async function startPaymentSubgraph(config: PaymentConfig, options: PaymentSubgraphOptions = {}): Promise<PaymentSubgraph> {
  const clock = options.clock ?? systemClock;
  const database = await openDatabase({
    name: 'payment',
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    entities,
    migrations,
    onQuery: options.onQuery,
  });
  let ownUrl = '';
  const publicUrl = () => options.publicUrl?.() || config.publicUrl || ownUrl;
  const channels: ChannelRegistry = {
    CARD: new CardChannel({
      client: new CardProviderClient({ baseUrl: config.card.baseUrl, apiKey: config.card.apiKey }),
      webhookSecret: config.card.webhookSecret,
      callbackUrl: () => `${publicUrl()}/callbacks/card`,
    }),
  };
  if (config.alipay) {
    channels.ALIPAY = new AlipayChannel({
      client: new AlipayClient(config.alipay),
      clock,
      callbackUrl: () => `${publicUrl()}/callbacks/alipay`,
      notifyMaxAgeMs: config.alipay.notifyMaxAgeMs,
    });
  }
  if (config.wechatPay) {
    const { baseUrl, mchid, appid, merchant, platform, apiV3Key } = config.wechatPay;
    channels.WECHAT_PAY = new WechatPayChannel({
      client: new WechatPayClient({ baseUrl, merchant: { mchid, ...merchant }, platform }),
      appid,
      apiV3Key,
      platform,
      callbackUrl: () => `${publicUrl()}/callbacks/wechat_pay`,
    });
  }
  const idempotencyOptions = {
    retentionMs: config.idempotencyRetentionMs,
    abandonAfterMs: 60_000,
    fingerprintSecret: createHmac('sha256', config.internalSecret).update('idempotency-fingerprint').digest('hex'),
  };
  const services = (em = database.fork()) => {
    const idempotency = new IdempotencyService(em, clock, idempotencyOptions);
    const payments = new PaymentService({
      em,
      dialect: database.dialect,
      clock,
      channels,
      idempotency,
      sandbox: config.sandbox,
      qrCodeTtlMs: config.qrCodeTtlMs,
    });
    const refunds = new RefundService({ em, dialect: database.dialect, clock, idempotency, payments });
    return { em, payments, refunds, merchants: new MerchantService(em, clock) };
  };
  const createContext = (principal: Principal, extensions: Record<string, unknown>): Context => {
    const scoped = services();
    return { principal, loaders: createLoaders(scoped.em), subscriptionEvent: readSubscriptionEvent(extensions), ...scoped };
  };
  const server = await startSubgraphServer<Context>({
    name: 'payment',
    typeDefs,
    resolvers,
    port: config.port,
    host: config.host,
    internalSecret: config.internalSecret,
    createContext,
    onInternalError: options.onInternalError,
    routes: (app, requireSignature) =>
      mountPaymentRoutes(app, requireSignature, {
        channels,
        callbacks: () => new ProviderCallbackService({ em: database.fork(), dialect: database.dialect, clock }),
        merchants: () => services().merchants,
        statusEvents: (request) =>
          'after' in request
            ? statusEventsAfter(database.fork(), request, clock.now(), config.eventRetentionMs)
            : statusEventsAfterPosition(database.fork(), { ...request, after: request.afterPosition }),
      }),
  });
  ownUrl = server.url;
  const onInternalError = options.onInternalError ?? ((error: unknown) => logInternalError('payment recovery', error));
  const recovery = new PaymentRecovery({
    em: database.fork(),
    dialect: database.dialect,
    clock,
    channels,
    staleAfterMs: config.recoveryAfterMs,
    onError: onInternalError,
  });
  const recoveryJob = new IntervalJob(() => recovery.run(), config.recoveryIntervalMs, onInternalError);
  const relay = options.transport
    ? startOutboxRelay({
        fork: () => database.fork(),
        dialect: database.dialect,
        transport: options.transport,
        stream: PAYMENT_EVENTS,
        source: 'payment',
        onError: (error) => logInternalError('payment outbox relay', error),
      })
    : null;
  const pruning = startOutboxPruning({
    fork: () => database.fork(),
    now: () => clock.now(),
    retentionMs: config.eventRetentionMs,
    intervalMs: config.outboxPruneIntervalMs,
    onError: (error) => logInternalError('payment outbox pruning', error),
  });
  return {
    ...server,
    database,
    channels,
    flushOutbox: () => relay?.flush() ?? Promise.resolve(0),
    runRecovery: () => recovery.run(),
    close: async () => {
      await pruning.stop();
      await recoveryJob.stop();
      await relay?.stop();
      await server.close();
      await database.close();
    },
  };
}

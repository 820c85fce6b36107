import { createHmac } from 'node:crypto';
import { systemClock } from '../../lib/clock.js';
import { PAYMENT_EVENTS } from '../../lib/events/event.js';
import { startSubgraphService, type SubgraphRunOptions, type SubgraphService } from '../../lib/subgraph-service.js';
import { logInternalError } from '../../lib/log.js';
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
import { recoveryMetrics } from '../../lib/metrics/payment.js';
import { entities } from './entities/index.js';
import { mountPaymentRoutes } from './http-routes.js';
import { createLoaders } from './loaders.js';
import { migrations } from './migrations/index.js';
import { resolvers } from './resolvers/index.js';
import { IdempotencyService } from './services/idempotency.js';
import { ApiKeyService, KeyUseNotes } from './services/api-keys.js';
import { MerchantService } from './services/merchants.js';
import { PaymentService } from './services/payments.js';
import { PaymentRecovery, type RecoveryRun } from './services/payment-recovery.js';
import { ProviderCallbackService } from './services/provider-callbacks.js';
import { RefundService } from './services/refunds.js';
import { statusEventsAfter, statusEventsAfterPosition } from './services/status-events.js';

/** `transport`: where the outbox relay publishes this subgraph's events; none: events stay in the outbox */
export interface PaymentSubgraphOptions extends SubgraphRunOptions {
  /** the public host providers send callbacks to, when it is known only later (a gateway started after this on any free port) */
  publicUrl?: () => string;
}

/** Wires the payment subgraph: database, channels, services per request, and its HTTP server. */
export interface PaymentSubgraph extends Omit<SubgraphService, 'handleEvent'> {
  /** the channels' connectors, e.g. for fetching a provider's statement */
  channels: ChannelRegistry;
  /** runs the recovery job now (it also runs every PAYMENT_RECOVERY_INTERVAL): lost callbacks, expired QR codes, operations in flight, PENDING refunds */
  runRecovery: () => Promise<RecoveryRun>;
  /** the payment and refund services over other connectors (tests: a provider, or a process, that fails at a chosen moment) */
  servicesWith: (channels: ChannelRegistry) => { payments: PaymentService; refunds: RefundService };
}

export async function startPaymentSubgraph(config: PaymentConfig, options: PaymentSubgraphOptions = {}): Promise<PaymentSubgraph> {
  const clock = options.clock ?? systemClock;
  let ownUrl = '';
  const publicUrl = () => options.publicUrl?.() || config.publicUrl || ownUrl;
  const connectors: ChannelRegistry = {
    CARD: new CardChannel({
      client: new CardProviderClient({ baseUrl: config.card.baseUrl, apiKey: config.card.apiKey }),
      webhookSecret: config.card.webhookSecret,
      callbackUrl: () => `${publicUrl()}/callbacks/card`,
    }),
  };
  if (config.alipay) {
    connectors.ALIPAY = new AlipayChannel({
      client: new AlipayClient(config.alipay),
      clock,
      callbackUrl: () => `${publicUrl()}/callbacks/alipay`,
      notifyMaxAgeMs: config.alipay.notifyMaxAgeMs,
    });
  }
  if (config.wechatPay) {
    const { baseUrl, mchid, appid, merchant, platform, apiV3Key } = config.wechatPay;
    connectors.WECHAT_PAY = new WechatPayChannel({
      client: new WechatPayClient({ baseUrl, merchant: { mchid, ...merchant }, platform }),
      appid,
      apiV3Key,
      platform,
      callbackUrl: () => `${publicUrl()}/callbacks/wechat_pay`,
    });
  }
  const idempotencyOptions = {
    retentionMs: config.idempotencyRetentionMs,
    leaseMs: config.idempotencyLeaseMs,
    fingerprintSecret: createHmac('sha256', config.internalSecret).update('idempotency-fingerprint').digest('hex'),
  };
  // the relay exists once the service has started; a key change made before then waits for the relay's first pass
  let publishEvents = () => Promise.resolve(0);
  const keyUses = new KeyUseNotes();
  const onRecoveryError = options.onInternalError ?? ((error: unknown) => logInternalError('payment recovery', error));
  const service = await startSubgraphService({
    name: 'payment',
    config,
    entities,
    migrations,
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    run: { ...options, clock },
    outbox: { stream: PAYMENT_EVENTS, retentionMs: config.eventRetentionMs, pruneIntervalMs: config.outboxPruneIntervalMs, relay: config.outboxRelay },
    wire: ({ database, metrics }) => {
      const services = (em = database.fork(), channels: ChannelRegistry = connectors) => {
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
        const apiKeys = new ApiKeyService({ em, dialect: database.dialect, clock, uses: keyUses, publishEvents: () => publishEvents().catch((error: unknown) => logInternalError('payment key events', error)) });
        return { em, payments, refunds, merchants: new MerchantService(em, clock), apiKeys };
      };
      const recovery = new PaymentRecovery({
        em: database.fork(),
        dialect: database.dialect,
        clock,
        channels: connectors,
        staleAfterMs: config.recoveryAfterMs,
        onError: onRecoveryError,
        onResolution: metrics ? recoveryMetrics(metrics) : undefined,
      });
      return {
        createContext: (principal, extensions): Context => {
          const scoped = services();
          const eventLog = () => ({ now: clock.now(), retentionMs: config.eventRetentionMs });
          return { principal, loaders: createLoaders(scoped.em), subscriptionEvent: readSubscriptionEvent(extensions), eventLog, ...scoped };
        },
        routes: (app, requireSignature) =>
          mountPaymentRoutes(app, requireSignature, {
            channels: connectors,
            callbacks: () => new ProviderCallbackService({ em: database.fork(), dialect: database.dialect, clock }),
            apiKeys: () => services().apiKeys,
            statusEvents: (request) =>
              'after' in request
                ? statusEventsAfter(database.fork(), request, clock.now(), config.eventRetentionMs)
                : statusEventsAfterPosition(database.fork(), { ...request, after: request.afterPosition }),
          }),
        jobs: () => [new IntervalJob(() => recovery.run(), config.recoveryIntervalMs, onRecoveryError)],
        handles: { channels: connectors, runRecovery: () => recovery.run(), servicesWith: (channels: ChannelRegistry) => services(database.fork(), channels) },
      };
    },
  });
  // No request is served before this line: from the server's listening to here runs without yielding to I/O.
  ownUrl = service.url;
  publishEvents = service.flushOutbox;
  return service;
}

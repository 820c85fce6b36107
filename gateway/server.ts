import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Redis } from 'ioredis';
import { accessLog, operationNamePlugin } from '../lib/access-log.js';
import { createErrorFormatter, DomainError, toGraphQLError } from '../lib/errors.js';
import { listen, type RunningServer } from '../lib/http-server.js';
import { finalErrorHandler, notFoundHandler } from '../lib/final-error-handler.js';
import { logInternalError } from '../lib/log.js';
import { logger } from '../lib/logger.js';
import { gatewayMetrics } from '../lib/metrics/gateway.js';
import { serverSpans } from '../lib/tracing/server-span.js';
import type { EventTransport } from '../lib/events/event.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { createAuthenticator, type PrincipalLookup } from './authentication.js';
import { keyEvents } from './key-events.js';
import { MAX_BODY } from './body-limit.js';
import { callbackProxy } from './callback-proxy.js';
import type { GatewayConfig } from './config.js';
import { explorerRoutes } from './explorer/routes.js';
import { gatewayHealth, healthHandler } from './health.js';
import { inputTextPlugin } from './input-text.js';
import { operationResolutionPlugin } from './operation-resolution.js';
import { persistedOperations } from './persisted-operations/index.js';
import { STATEMENT_PATH, statementHandler } from './statements.js';
import { paymentSubgraphLookup } from './principal-lookup.js';
import { gatewayRateLimits, requestPrincipal } from './rate-limits/http-limits.js';
import { corsPolicy, responseHeaders } from './response-headers.js';
import { numberLiteralsRule } from './number-input.js';
import { aliasShadowingRule } from './alias-shadowing.js';
import { MAX_VALIDATION_ERRORS, operationLimitsPlugin } from './operation-limits.js';
import { hiddenSuggestionsPlugin } from './hidden-suggestions.js';
import { sourceNestingGuard } from './source-nesting.js';
import { subgraphDataSourceFactory, type GatewayContext } from './data-sources.js';
import { startEventFeed } from './subscriptions/event-feed.js';
import { createSubscriptionPlanner } from './subscriptions/planner.js';
import { paymentReplaySource } from './subscriptions/replay.js';
import { startSubscriptionServer } from './subscriptions/server.js';
import { subscriptionOverHttp } from './subscription-over-http.js';

export type { GatewayContext };

const supergraphPath = new URL('../schema/supergraph.graphql', import.meta.url);

export interface GatewayOptions {
  lookup?: PrincipalLookup;
  onInternalError?: (error: unknown) => void;
  /** the event backbone subscriptions are fed from; without one, subscribing is refused with a clear error */
  transport?: EventTransport;
  /** Redis shared by the gateway replicas (REDIS_URL): automatic persisted queries registered through one are known to all */
  redisUrl?: string;
  /** where the rate limits count (REDIS_URL), shared by every replica; without it, each instance counts in memory */
  rateLimitRedis?: Redis;
  /** the clock API keys' expiry is read on (the subgraphs' clock, in tests) */
  clock?: Clock;
}

export interface GatewayServer extends RunningServer {
  /** this gateway's /metrics (METRICS_PORT), null when off */
  metricsUrl: string | null;
}

/** The one public endpoint: authenticates, plans over the checked-in supergraph, calls subgraphs signed. */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<GatewayServer> {
  const subgraphs: Record<string, string> = config.subgraphs;
  const supergraphSdl = readFileSync(supergraphPath, 'utf8');
  const metrics = config.metrics ? gatewayMetrics() : null;
  const buildService = subgraphDataSourceFactory(subgraphs, config.internalSecret, metrics?.subgraphFetch);
  const gateway = new ApolloGateway({ supergraphSdl, buildService });
  const onInternalError = options.onInternalError ?? ((error: unknown) => logInternalError('gateway', error));
  const formatError = createErrorFormatter({ onInternalError });
  const validationRules = [numberLiteralsRule, aliasShadowingRule];
  const persisted = persistedOperations(config.persistedOperations, options.redisUrl);
  const overHttp = subscriptionOverHttp();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    validationRules: [...validationRules, overHttp.rule],
    persistedQueries: persisted.apq,
    parseOptions: { maxTokens: config.operationLimits.maxTokens },
    validationOptions: { maxErrors: MAX_VALIDATION_ERRORS },
    // no field suggestions in production (validation; hiddenSuggestionsPlugin does the rest)
    hideSchemaDetailsFromClientErrors: config.production,
    // Also in production (Apollo's default turns it off there): the explorer's documentation and
    // analysts' tools read the schema this way. Every request, introspection included, needs a key.
    introspection: true,
    // Our own explorer (gateway/explorer) replaces Apollo's landing page, which loads from a CDN.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...(metrics ? [metrics.requests.plugin] : []),
      operationResolutionPlugin(),
      operationNamePlugin(),
      persisted.plugin,
      overHttp.plugin,
      inputTextPlugin(),
      operationLimitsPlugin(config.operationLimits),
      ...(config.production ? [hiddenSuggestionsPlugin()] : []),
    ],
  });
  await apollo.start();
  const clock = options.clock ?? systemClock;
  const now = () => clock.now().getTime();
  const authenticate = createAuthenticator({
    adminApiKey: config.adminApiKey,
    lookup: options.lookup ?? paymentSubgraphLookup(config.subgraphs.payment, config.internalSecret),
    cacheTtlMs: config.apiKeyCacheTtlMs,
    unknownKeyTtlMs: config.rateLimits.authFailureWindowMs,
    now,
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(accessLog(logger('gateway')));
  app.use(responseHeaders(config.headers));
  app.use(['/graphql', STATEMENT_PATH], corsPolicy(config.headers.corsOrigins));
  const rateLimits = gatewayRateLimits(app, config.rateLimits, authenticate, options.rateLimitRedis, metrics?.refused);
  app.get('/health', healthHandler(subgraphs));
  const health = gatewayHealth(app, subgraphs, options.redisUrl);
  app.use(STATEMENT_PATH, rateLimits.http);
  app.get(
    STATEMENT_PATH,
    statementHandler({ authenticate, transactionUrl: config.subgraphs.transaction, internalSecret: config.internalSecret, onInternalError }),
  );
  app.post('/callbacks/:channel', callbackProxy(config.subgraphs.payment));
  app.use(explorerRoutes());
  if (metrics) app.use('/graphql', metrics.requests.middleware);
  app.use(
    '/graphql',
    rateLimits.http,
    express.json({ limit: MAX_BODY }),
    sourceNestingGuard(config.operationLimits.maxTokens),
    ...serverSpans('gateway', '/graphql'),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        try {
          const principal = await requestPrincipal(req, res, authenticate);
          persisted.checkHttp(principal, req);
          return { principal };
        } catch (error) {
          throw error instanceof DomainError ? toGraphQLError(error) : error;
        }
      },
    }),
  );
  app.use(notFoundHandler);
  app.use(finalErrorHandler({ bodyLimit: MAX_BODY, onInternalError }));
  let endSubscriptionsOf = (_keyId: string) => undefined as void;
  const keys = keyEvents({ forgetKey: authenticate.forgetKey, endSubscriptionsOf: (keyId) => endSubscriptionsOf(keyId), now });
  const feed = options.transport ? await startEventFeed(options.transport, keys.handle) : null;
  const running = await listen(app, config.port, config.host, { service: 'gateway', portVariable: 'PORT', graceMs: config.shutdownGraceMs }).catch(async (error: unknown) => {
    // a port taken leaves nothing running
    await feed?.stop();
    await apollo.stop();
    persisted.close();
    await health.close();
    throw error;
  });
  const subscriptions = startSubscriptionServer({
    server: running.server,
    path: '/graphql',
    authenticate,
    planner: createSubscriptionPlanner(supergraphSdl, buildService),
    feed,
    replay: paymentReplaySource(config.subgraphs.payment, config.internalSecret),
    production: config.production,
    validationRules,
    operationLimits: config.operationLimits,
    limits: config.subscriptions,
    rateLimits,
    formatError: (error) => formatError(error.toJSON(), error),
    safelist: persisted.refusalOfSubscribe,
    metrics: metrics?.subscriptions,
  });
  endSubscriptionsOf = subscriptions.endKey;
  health.lifecycle.running();
  const metricsServer = metrics && config.metrics ? await metrics.serve(config.metrics) : null;
  return {
    ...running,
    metricsUrl: metricsServer?.url ?? null,
    close: async () => {
      health.lifecycle.drain();
      keys.stop();
      await metricsServer?.close();
      await subscriptions.close();
      await feed?.stop();
      await running.close();
      await apollo.stop();
      persisted.close();
      await health.close();
    },
  };
}

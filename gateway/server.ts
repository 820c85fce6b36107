import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createErrorFormatter, DomainError, ErrorCode, toGraphQLError } from '../lib/errors.js';
import { listen, type RunningServer } from '../lib/http-server.js';
import { logInternalError } from '../lib/log.js';
import type { EventTransport } from '../lib/events/event.js';
import { createAuthenticator, type PrincipalLookup } from './authentication.js';
import { callbackProxy } from './callback-proxy.js';
import type { GatewayConfig } from './config.js';
import { explorerRoutes } from './explorer/routes.js';
import { healthHandler } from './health.js';
import { operationResolutionPlugin } from './operation-resolution.js';
import { STATEMENT_PATH, statementHandler } from './statements.js';
import { paymentSubgraphLookup } from './principal-lookup.js';
import { numberLiteralsRule } from './number-input.js';
import { MAX_VALIDATION_ERRORS, operationLimitsPlugin } from './operation-limits.js';
import { hiddenSuggestionsPlugin } from './hidden-suggestions.js';
import { sourceNestingGuard } from './source-nesting.js';
import { subgraphDataSourceFactory, type GatewayContext } from './data-sources.js';
import { startEventFeed } from './subscriptions/event-feed.js';
import { createSubscriptionPlanner } from './subscriptions/planner.js';
import { paymentReplaySource } from './subscriptions/replay.js';
import { startSubscriptionServer } from './subscriptions/server.js';

export type { GatewayContext };

const supergraphPath = new URL('../schema/supergraph.graphql', import.meta.url);
const MAX_BODY = '256kb';

export interface GatewayOptions {
  lookup?: PrincipalLookup;
  onInternalError?: (error: unknown) => void;
  /** the event backbone subscriptions are fed from; without one, subscribing is refused with a clear error */
  transport?: EventTransport;
}

/** The one public endpoint: authenticates, plans over the checked-in supergraph, calls subgraphs signed. */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningServer> {
  const subgraphs: Record<string, string> = config.subgraphs;
  const supergraphSdl = readFileSync(supergraphPath, 'utf8');
  const buildService = subgraphDataSourceFactory(subgraphs, config.internalSecret);
  const gateway = new ApolloGateway({ supergraphSdl, buildService });
  const onInternalError = options.onInternalError ?? ((error: unknown) => logInternalError('gateway', error));
  const formatError = createErrorFormatter({ onInternalError });
  const validationRules = [numberLiteralsRule];
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    validationRules,
    parseOptions: { maxTokens: config.operationLimits.maxTokens },
    validationOptions: { maxErrors: MAX_VALIDATION_ERRORS },
    // no field suggestions in production (validation; hiddenSuggestionsPlugin does the rest)
    hideSchemaDetailsFromClientErrors: config.production,
    // Also in production (Apollo's default turns it off there): the explorer's documentation and
    // analysts' tools read the schema this way. Every request, introspection included, needs a key.
    introspection: true,
    // Our own explorer (gateway/explorer) replaces Apollo's landing page, which loads from a CDN.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), operationResolutionPlugin(), operationLimitsPlugin(config.operationLimits), ...(config.production ? [hiddenSuggestionsPlugin()] : [])],
  });
  await apollo.start();
  const authenticate = createAuthenticator({
    adminApiKey: config.adminApiKey,
    lookup: options.lookup ?? paymentSubgraphLookup(config.subgraphs.payment, config.internalSecret),
    cacheTtlMs: config.apiKeyCacheTtlMs,
  });
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', healthHandler(subgraphs));
  app.get(
    STATEMENT_PATH,
    statementHandler({ authenticate, transactionUrl: config.subgraphs.transaction, internalSecret: config.internalSecret, onInternalError }),
  );
  app.post('/callbacks/:channel', callbackProxy(config.subgraphs.payment));
  app.use(explorerRoutes());
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY }),
    sourceNestingGuard(config.operationLimits.maxTokens),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return { principal: await authenticate(req.headers.authorization) };
        } catch (error) {
          throw error instanceof DomainError ? toGraphQLError(error) : error;
        }
      },
    }),
  );
  app.use((error: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (!error.status || error.status >= 500) {
      next(error);
      return;
    }
    const message = error.type === 'entity.too.large' ? `The request body is larger than ${MAX_BODY}` : 'The request body is not valid JSON';
    res.status(error.status).json({ errors: [{ message, extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
  });
  const feed = options.transport ? await startEventFeed(options.transport) : null;
  const running = await listen(app, config.port, config.host);
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
    formatError: (error) => formatError(error.toJSON(), error),
  });
  return {
    ...running,
    close: async () => {
      await subscriptions.close();
      await feed?.stop();
      await running.close();
      await apollo.stop();
    },
  };
}

import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createErrorFormatter, DomainError, ErrorCode, toGraphQLError } from '../lib/errors.js';
import { listen, type RunningServer } from '../lib/http-server.js';
import { logInternalError } from '../lib/log.js';
import { PRINCIPAL_HEADER } from '../lib/internal-signature.js';
import { encodePrincipal, type Principal } from '../lib/principal.js';
import { createAuthenticator, type PrincipalLookup } from './authentication.js';
import type { GatewayConfig } from './config.js';
import { healthHandler } from './health.js';
import { paymentSubgraphLookup } from './principal-lookup.js';
import { queryLimitsRule } from './query-limits.js';
import { signingFetcher } from './signed-fetcher.js';
import { subgraphRefusal } from './subgraph-refusal.js';

export interface GatewayContext {
  principal: Principal;
}

const supergraphPath = new URL('../schema/supergraph.graphql', import.meta.url);
const MAX_BODY = '256kb';

export interface GatewayOptions {
  lookup?: PrincipalLookup;
  onInternalError?: (error: unknown) => void;
}

/** The one public endpoint: authenticates, plans over the checked-in supergraph, calls subgraphs signed. */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningServer> {
  const subgraphs: Record<string, string> = config.subgraphs;
  const fetcher = signingFetcher(config.internalSecret);
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url: subgraphs[name] ? `${subgraphs[name]}/graphql` : url,
        fetcher,
        willSendRequest({ request, context }) {
          request.http?.headers.set(PRINCIPAL_HEADER, encodePrincipal(context.principal));
        },
        async errorFromResponse(response) {
          return (await subgraphRefusal(response.clone())) ?? RemoteGraphQLDataSource.prototype.errorFromResponse.call(this, response);
        },
      }),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createErrorFormatter({
      onInternalError: options.onInternalError ?? ((error) => logInternalError('gateway', error)),
    }),
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    validationRules: [queryLimitsRule({ maxDepth: config.limits.maxDepth, maxFields: config.limits.maxFields })],
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
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
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY }),
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
  const running = await listen(app, config.port, config.host);
  return {
    ...running,
    close: async () => {
      await running.close();
      await apollo.stop();
    },
  };
}

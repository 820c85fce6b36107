import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import type { DocumentNode, GraphQLScalarType } from 'graphql';
import { accessLog, noteRequestKey, operationNamePlugin } from './access-log.js';
import { createErrorFormatter, ErrorCode } from './errors.js';
import { listen, type RunningServer } from './http-server.js';
import { finalErrorHandler, notFoundHandler } from './final-error-handler.js';
import { logInternalError } from './log.js';
import { logger } from './logger.js';
import { withRequestId } from './request-context.js';
import type { GraphQLRequestMetrics } from './metrics/graphql-requests.js';
import { acceptSignedRequest, PRINCIPAL_HEADER, SIGNATURE_HEADER, type SignatureVerifier } from './internal-signature.js';
import { createMemoryNonceStore, type NonceStore } from './nonce-store.js';
import { decodePrincipal, type Principal } from './principal.js';
import { noSniff } from './no-sniff.js';
import { livenessHandler, readinessHandler, type Lifecycle, type ReadinessCheck } from './health/readiness.js';
import { tracedResolvers } from './tracing/resolvers.js';
import { serverSpans } from './tracing/server-span.js';

/**
 * A subgraph's resolvers as codegen types them (its generated/resolvers-types.ts `Resolvers`): per
 * type, its fields' resolvers, or a scalar. Federation's `__resolveReference(reference, context, info)`
 * is no field resolver, which is why @apollo/subgraph's own map type does not accept them.
 */
export type SubgraphResolvers = { [typeName: string]: GraphQLScalarType | { [fieldName: string]: unknown } };

/** The map buildSubgraphSchema takes (@apollo/subgraph exports its type only from its dist). */
type ApolloResolverMap = NonNullable<Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>['resolvers']>;

export interface SubgraphServerOptions<TContext extends object> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: SubgraphResolvers;
  port: number;
  host: string;
  internalSecret: string;
  /** the nonces of accepted signed requests (shared by replicas through Redis); default: this process's memory */
  nonces?: NonceStore;
  /** `extensions` is the signed request body's, e.g. the event a subscription's fetch is about */
  createContext: (principal: Principal, extensions: Record<string, unknown>) => TContext;
  /** routes beside /graphql, e.g. provider callbacks; mounted before the signature check */
  routes?: (app: Express, requireSignature: express.RequestHandler) => void;
  onInternalError?: (error: unknown) => void;
  /** what /readyz checks (read at each request: checks added later count) and the service's phase */
  readiness?: { checks: Record<string, ReadinessCheck>; lifecycle: Lifecycle };
  /** how long `close` waits for requests in flight (SHUTDOWN_GRACE) */
  shutdownGraceMs?: number;
  /** counts and times /graphql requests (lib/metrics); none when metrics are off */
  metrics?: GraphQLRequestMetrics;
}

const MAX_BODY = '1mb';

function refuse(res: Response, status: number, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: withRequestId({ code: ErrorCode.UNAUTHENTICATED }) }] });
}

/** Only requests signed with INTERNAL_SECRET for this subgraph, this method and path, once, reach its resolvers and routes. */
function signatureCheck(verifier: SignatureVerifier): express.RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const raw: unknown = req.body;
    const principal = req.header(PRINCIPAL_HEADER);
    const check = await acceptSignedRequest(verifier, {
      method: req.method,
      path: req.originalUrl,
      principal,
      signature: req.header(SIGNATURE_HEADER),
      body: Buffer.isBuffer(raw) ? raw : Buffer.alloc(0),
    });
    if (check !== 'ok') {
      refuse(res, 401, `request refused: internal signature ${check}; call the gateway, not a subgraph`);
      return;
    }
    res.locals['principal'] = principal;
    next();
  };
}

/** A subgraph: Apollo Server over express 5, its /graphql reachable only with the gateway's signature. */
export async function startSubgraphServer<TContext extends object>(options: SubgraphServerOptions<TContext>): Promise<RunningServer> {
  const onInternalError = options.onInternalError ?? ((error: unknown) => logInternalError(options.name, error));
  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: tracedResolvers(options.name, options.resolvers) as ApolloResolverMap }),
    formatError: createErrorFormatter({ onInternalError }),
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    csrfPrevention: false,
    // No cache hints or traces are used: computing them would cost every request.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      operationNamePlugin(),
      ...(options.metrics ? [options.metrics.plugin] : []),
    ],
  });
  await apollo.start();
  const app = express();
  app.disable('x-powered-by');
  app.use(accessLog(logger(options.name)));
  app.use(noSniff);
  const requireSignature = signatureCheck({ secret: options.internalSecret, service: options.name, nonces: options.nonces ?? createMemoryNonceStore() });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/livez', livenessHandler(options.name));
  if (options.readiness) app.get('/readyz', readinessHandler(options.name, options.readiness.checks, options.readiness.lifecycle));
  options.routes?.(app, requireSignature);
  if (options.metrics) app.use('/graphql', options.metrics.middleware);
  app.post(
    '/graphql',
    express.raw({ type: () => true, limit: MAX_BODY }),
    requireSignature,
    (req: Request, res: Response, next: NextFunction) => {
      try {
        req.body = JSON.parse((req.body as Buffer).toString('utf8'));
        next();
      } catch {
        res.status(400).json({ errors: [{ message: 'body is not JSON', extensions: withRequestId({ code: ErrorCode.BAD_USER_INPUT }) }] });
      }
    },
    ...serverSpans(options.name, '/graphql'),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const principal = decodePrincipal(String(res.locals['principal']));
        if (!principal) throw new Error('signed principal does not decode');
        noteRequestKey(principal.keyId);
        const extensions: unknown = (req.body as { extensions?: unknown }).extensions;
        return options.createContext(principal, typeof extensions === 'object' && extensions !== null ? (extensions as Record<string, unknown>) : {});
      },
    }),
  );
  app.use(notFoundHandler);
  app.use(finalErrorHandler({ bodyLimit: MAX_BODY, onInternalError }));
  const running = await listen(app, options.port, options.host, {
    service: options.name,
    portVariable: `${options.name.toUpperCase()}_PORT`,
    graceMs: options.shutdownGraceMs,
  });
  return {
    ...running,
    close: async () => {
      await running.close();
      await apollo.stop();
    },
  };
}

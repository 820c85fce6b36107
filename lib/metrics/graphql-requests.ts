import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';
import { boundedLabel } from './labels.js';

/** named operations with a series of their own; the rest count as "other" */
export const MAX_OPERATION_LABELS = 100;
const MAX_CODE_LABELS = 50;
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What a request refused before GraphQL saw it is counted as, by its HTTP status. */
const refusalOf: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

interface Answer {
  operation: string | null;
  /** the first error's code; null: no error */
  code: string | null;
}

export interface GraphQLRequestMetrics {
  /** first on the /graphql route: times and counts every request, refused ones included */
  middleware: RequestHandler;
  /** tells the middleware the operation's name and its first error's code */
  plugin: ApolloServerPlugin<BaseContext>;
}

/**
 * `paygraph_<side>_requests_total{operation,outcome}` and `paygraph_<side>_request_duration_seconds{operation}`.
 * The plugin keys what it learnt by the parsed body (express's req.body is Apollo's http.body), so
 * the hot path adds no async context and no parsing; labels are bounded (labels.ts).
 */
export function graphqlRequestMetrics(registry: Registry, side: 'gateway' | 'subgraph'): GraphQLRequestMetrics {
  const requests = new Counter({
    name: `paygraph_${side}_requests_total`,
    help: `GraphQL requests the ${side} answered, by operation name and outcome (ok, or the first error's code)`,
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: `paygraph_${side}_request_duration_seconds`,
    help: `Time from a GraphQL request's arrival at the ${side} to its response's end, by operation name`,
    labelNames: ['operation'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const operationLabel = boundedLabel(MAX_OPERATION_LABELS);
  const codeLabel = boundedLabel(MAX_CODE_LABELS);
  const answers = new WeakMap<object, Answer>();

  const middleware: RequestHandler = (req, res, next) => {
    const start = performance.now();
    res.once('close', () => {
      const body: unknown = req.body;
      const answer = typeof body === 'object' && body !== null ? answers.get(body) : undefined;
      const operation = answer ? operationLabel(answer.operation, 'anonymous') : 'unknown';
      let outcome: string;
      if (!res.writableFinished) outcome = 'aborted';
      else if (answer) outcome = answer.code === null ? 'ok' : codeLabel(answer.code, 'INTERNAL_SERVER_ERROR');
      else outcome = res.statusCode < 400 ? 'ok' : (refusalOf[res.statusCode] ?? `HTTP_${res.statusCode}`);
      requests.labels(operation, outcome).inc();
      duration.labels(operation).observe((performance.now() - start) / 1000);
    });
    next();
  };

  const plugin: ApolloServerPlugin<BaseContext> = {
    requestDidStart: async ({ request }) => {
      const key: unknown = request.http?.body;
      if (typeof key !== 'object' || key === null) return;
      return {
        willSendResponse: async ({ response, operationName }) => {
          const { body } = response;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const given: unknown = errors?.[0]?.extensions?.['code'];
          const code = errors?.[0] ? (typeof given === 'string' ? given : 'INTERNAL_SERVER_ERROR') : null;
          answers.set(key, { operation: operationName ?? request.operationName ?? null, code });
        },
      };
    },
  };
  return { middleware, plugin };
}

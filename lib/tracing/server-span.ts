import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { Request, RequestHandler, Response, NextFunction } from 'express';
import { serviceTracer } from './tracing.js';

const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';

/**
 * The server span of `service`'s requests on `route`, the child of the caller's W3C `traceparent` when
 * it sent one (a client's, or the gateway's on a subgraph fetch): none when tracing is off, to spread
 * into a route's handlers. Mounted after the body is read: a parser's stream events run outside the
 * request's context, so a span entered before it would not reach the handlers.
 */
export function serverSpans(service: string, route: string): RequestHandler[] {
  const tracer = serviceTracer(service);
  if (!tracer) return [];
  const traced = (req: Request, res: Response, next: NextFunction) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const operationName: unknown = (req.body as { operationName?: unknown } | undefined)?.operationName;
    const span = tracer.startSpan(
      `${req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: req.method,
          [ATTR_HTTP_ROUTE]: route,
          [ATTR_URL_PATH]: req.path === '/' ? req.baseUrl : `${req.baseUrl}${req.path}`,
          ...(typeof operationName === 'string' ? { [ATTR_GRAPHQL_OPERATION_NAME]: operationName } : {}),
        },
      },
      parent,
    );
    res.once('close', () => {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
      if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR, message: res.writableFinished ? undefined : 'response not finished' });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
  return [traced];
}

import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { Logger } from './logger.js';
import { acceptedRequestId, currentRequestContext, REQUEST_ID_HEADER, runInRequest } from './request-context.js';

/** Probes and scrapes, asked every few seconds: their lines are debug, not info. */
const probePaths = new Set(['/health', '/livez', '/readyz', '/metrics']);

/**
 * The first middleware of a service: the request's id (the caller's X-Request-Id when it is acceptable,
 * else a new one) is answered in X-Request-Id and carried by all the request runs (lib/request-context.ts);
 * when the response is done, one access line: method, path (never the query string), operation, status,
 * duration and the API key's id (never the key). A 5xx is logged as an error.
 */
export function accessLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const requestId = acceptedRequestId(req.headers[REQUEST_ID_HEADER]);
    res.setHeader('X-Request-Id', requestId);
    runInRequest(requestId, () => {
      const context = currentRequestContext()!;
      res.once('close', () => {
        const path = req.originalUrl.split('?', 1)[0]!;
        const status = res.statusCode;
        const line = {
          method: req.method,
          path,
          ...(context.operationName === undefined ? {} : { operationName: context.operationName }),
          status,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          ...(context.keyId === undefined ? {} : { keyId: context.keyId }),
          ...(res.writableFinished ? {} : { aborted: true }),
        };
        if (status >= 500) log.error(line, 'request');
        else if (probePaths.has(path)) log.debug(line, 'request');
        else log.info(line, 'request');
      });
      next();
    });
  };
}

/** Notes the operation's name, once Apollo has resolved it, for the access line. */
export function operationNamePlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: (request) => {
          const context = currentRequestContext();
          if (context && request.operationName) context.operationName = request.operationName;
          return Promise.resolve();
        },
      }),
  };
}

/** Notes the id of the API key a request authenticated with (null: the admin key), for the access line. */
export function noteRequestKey(keyId: string | null): void {
  const context = currentRequestContext();
  if (context) context.keyId = keyId;
}

import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { DomainError, fail } from '../lib/errors.js';
import { sendRefusal } from '../lib/http-refusal.js';
import { httpStream } from '../lib/http-request.js';
import { isIdText, textFault } from '../lib/input-rules.js';
import { routeUrl, signedRouteHeaders } from '../lib/internal-client.js';
import type { RouteRequest } from '../lib/internal-route.js';
import { encodePrincipal } from '../lib/principal.js';
import { requestIdHeader, withRequestId } from '../lib/request-context.js';
import { statementRoute } from '../subgraphs/transaction/contract/internal-routes.js';
import type { Authenticate } from './authentication.js';
import { requestPrincipal } from './rate-limits/http-limits.js';

/** The public URL of transaction statements: GET /statements/transactions.csv?from=…&to=…[&merchantId=…] */
export const STATEMENT_PATH = '/statements/transactions.csv';
/** what of the subgraph's answer reaches the client */
const PASSED_HEADERS = ['content-type', 'content-disposition'];

const PARAMETERS = new Set(['from', 'to', 'merchantId']);
/** a bound is an ISO-8601 date or timestamp (checked by the subgraph): never longer than this */
const MAX_BOUND_LENGTH = 40;

/**
 * The statement's query parameters, each given at most once and plain: a bound short and without
 * control characters, merchantId one of our ids (so neither CRLF nor a quote reaches a header); an
 * unknown parameter is refused by name rather than ignored.
 */
export function statementRequest(query: Record<string, unknown>): RouteRequest<typeof statementRoute> {
  for (const [name, value] of Object.entries(query)) {
    if (!PARAMETERS.has(name)) throw fail.badInput('query', 'takes only from, to and merchantId');
    if (typeof value !== 'string') throw fail.badInput(name, 'must be given once');
    if (name === 'merchantId') {
      if (value !== '' && !isIdText(value)) throw fail.badInput(name, 'must be a merchant id such as mer_01jd3…');
    } else if (value.length > MAX_BOUND_LENGTH || textFault(value, 'identifier') !== null) {
      throw fail.badInput(name, 'must be an ISO-8601 date or timestamp');
    }
  }
  const text = (name: string) => query[name] as string | undefined;
  return { from: text('from'), to: text('to'), merchantId: text('merchantId') };
}

/**
 * Statements through the gateway: the same Bearer key authentication as /graphql, then a request to the
 * transaction subgraph signed with the principal (which decides what the key may read), whose CSV is
 * piped to the client as it comes: backpressure reaches the subgraph's reads, and memory stays constant.
 */
export function statementHandler(options: { authenticate: Authenticate; transactionUrl: string; internalSecret: string; onInternalError: (error: unknown) => void }) {
  return async (req: Request, res: Response) => {
    let principal;
    let request;
    try {
      principal = await requestPrincipal(req, res, options.authenticate);
      request = statementRequest(req.query);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      sendRefusal(res, error);
      return;
    }
    const body = JSON.stringify(request);
    const encoded = encodePrincipal(principal);
    let upstream;
    try {
      upstream = await httpStream(routeUrl(options.transactionUrl, statementRoute.path), {
        method: 'POST',
        headers: { ...signedRouteHeaders(statementRoute, options.internalSecret, encoded, body), ...requestIdHeader() },
        body,
      });
    } catch (error) {
      options.onInternalError(error);
      res.status(502).json({ errors: [{ message: 'The transaction service is unavailable', extensions: withRequestId({ code: 'INTERNAL_SERVER_ERROR' }) }] });
      return;
    }
    res.status(upstream.statusCode ?? 502);
    for (const name of PASSED_HEADERS) {
      const value = upstream.headers[name];
      if (value !== undefined) res.setHeader(name, value);
    }
    try {
      await pipeline(upstream, res);
    } catch (error) {
      // The client went away (the subgraph's stream is then closed too), or the subgraph cut the statement: the client sees it cut.
      if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') options.onInternalError(error);
    }
  };
}

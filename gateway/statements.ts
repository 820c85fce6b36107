import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { DomainError } from '../lib/errors.js';
import { sendRefusal } from '../lib/http-refusal.js';
import { httpStream } from '../lib/http-request.js';
import { routeUrl, signedRouteHeaders } from '../lib/internal-client.js';
import type { RouteRequest } from '../lib/internal-route.js';
import { encodePrincipal } from '../lib/principal.js';
import { statementRoute } from '../subgraphs/transaction/contract/internal-routes.js';
import type { Authenticate } from './authentication.js';

/** The public URL of transaction statements: GET /statements/transactions.csv?from=…&to=…[&merchantId=…] */
export const STATEMENT_PATH = '/statements/transactions.csv';
/** what of the subgraph's answer reaches the client */
const PASSED_HEADERS = ['content-type', 'content-disposition'];

const single = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * Statements through the gateway: the same Bearer key authentication as /graphql, then a request to the
 * transaction subgraph signed with the principal (which decides what the key may read), whose CSV is
 * piped to the client as it comes: backpressure reaches the subgraph's reads, and memory stays constant.
 */
export function statementHandler(options: { authenticate: Authenticate; transactionUrl: string; internalSecret: string; onInternalError: (error: unknown) => void }) {
  return async (req: Request, res: Response) => {
    let principal;
    try {
      principal = await options.authenticate(req.headers.authorization);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      sendRefusal(res, error);
      return;
    }
    const request: RouteRequest<typeof statementRoute> = { from: single(req.query['from']), to: single(req.query['to']), merchantId: single(req.query['merchantId']) };
    const body = JSON.stringify(request);
    const encoded = encodePrincipal(principal);
    let upstream;
    try {
      upstream = await httpStream(routeUrl(options.transactionUrl, statementRoute.path), {
        method: 'POST',
        headers: signedRouteHeaders(statementRoute, options.internalSecret, encoded, body),
        body,
      });
    } catch (error) {
      options.onInternalError(error);
      res.status(502).json({ errors: [{ message: 'The transaction service is unavailable', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
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

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type Express, type RequestHandler } from 'express';
import type { z } from 'zod';
import type { Em } from '../../lib/database.js';
import { DomainError, fail } from '../../lib/errors.js';
import { sendRefusal } from '../../lib/http-refusal.js';
import { parseRouteRequest } from '../../lib/internal-route.js';
import { decodePrincipal } from '../../lib/principal.js';
import { statementRoute } from './contract/internal-routes.js';
import { statementChunks, statementScope } from './services/statements.js';

/** The request of the statement route; a refusal names the field at fault. */
function readRequest(raw: Buffer): z.output<typeof statementRoute.request> {
  const request = parseRouteRequest(statementRoute, raw);
  if (request.success) return request.data;
  const field = request.error.issues[0]?.path[0];
  if (typeof field === 'string') throw fail.badInput(field, 'must be a string');
  throw fail.badInput('body', 'must be a JSON object { from, to, merchantId? }');
}

/**
 * Statements: the CSV of a merchant's records over [from, to), streamed. Refusals (bad range, another
 * merchant) are answered before the first byte with the contract's codes; a failure while streaming
 * aborts the response, so a cut statement never looks complete.
 */
export function mountStatementRoute(
  app: Express,
  requireSignature: RequestHandler,
  deps: { fork: () => Em; batchSize?: number; onInternalError: (error: unknown) => void },
): void {
  app.post(statementRoute.path, express.raw({ type: () => true, limit: '4kb' }), requireSignature, async (req, res) => {
    let scope;
    try {
      const principal = decodePrincipal(String(res.locals['principal']));
      if (!principal) throw fail.unauthenticated('The signed principal does not decode');
      scope = statementScope(principal, readRequest(req.body as Buffer));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      sendRefusal(res, error);
      return;
    }
    const day = (at: Date) => at.toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="transactions-${scope.merchantId}-${day(scope.from)}-${day(scope.to)}.csv"`);
    try {
      await pipeline(Readable.from(statementChunks(deps.fork(), scope, deps.batchSize), { highWaterMark: 1 }), res);
    } catch (error) {
      // A reader that went away is not a fault; anything else is, and the response is already cut.
      if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') deps.onInternalError(error);
    }
  });
}

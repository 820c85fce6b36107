import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type Express, type RequestHandler } from 'express';
import type { z } from 'zod';
import type { Em } from '../../lib/database.js';
import { DomainError, fail } from '../../lib/errors.js';
import { sendRefusal } from '../../lib/http-refusal.js';
import { isIdText } from '../../lib/input-rules.js';
import { parseRouteRequest } from '../../lib/internal-route.js';
import { decodePrincipal } from '../../lib/principal.js';
import { statementRoute } from './contract/internal-routes.js';
import { statementChunks, statementScope } from './services/statements.js';

/**
 * Content-Disposition for a download named `filename`: the plain filename with anything but
 * letters, digits, `.`, `_` and `-` replaced (no quote, CR or LF can reach the header), plus the
 * exact name as RFC 5987's `filename*` when that changed anything.
 */
export function attachment(filename: string): string {
  const plain = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  if (plain === filename) return `attachment; filename="${plain}"`;
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${plain}"; filename*=UTF-8''${exact}`;
}

/** The request of the statement route; a refusal names the field at fault. */
function readRequest(raw: Buffer): z.output<typeof statementRoute.request> {
  const request = parseRouteRequest(statementRoute, raw);
  if (request.success) {
    const { merchantId } = request.data;
    // the gateway checked it too; here it is about to be written into a header
    if (merchantId && !isIdText(merchantId)) throw fail.badInput('merchantId', 'must be a merchant id such as mer_01jd3…');
    return request.data;
  }
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
    res.setHeader('content-disposition', attachment(`transactions-${scope.merchantId}-${day(scope.from)}-${day(scope.to)}.csv`));
    try {
      await pipeline(Readable.from(statementChunks(deps.fork(), scope, deps.batchSize), { highWaterMark: 1 }), res);
    } catch (error) {
      // A reader that went away is not a fault; anything else is, and the response is already cut.
      if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') deps.onInternalError(error);
    }
  });
}

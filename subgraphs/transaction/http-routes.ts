import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type Express, type RequestHandler } from 'express';
import type { Em } from '../../lib/database.js';
import { DomainError, fail } from '../../lib/errors.js';
import { sendRefusal } from '../../lib/http-refusal.js';
import { decodePrincipal } from '../../lib/principal.js';
import { statementChunks, statementScope } from './services/statements.js';

/** Where the gateway asks for a statement, signed like /graphql; it serves it as GET /statements/transactions.csv. */
export const INTERNAL_STATEMENT_PATH = '/internal/statements/transactions.csv';

function readRequest(raw: Buffer): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // answered below
  }
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
  app.post(INTERNAL_STATEMENT_PATH, express.raw({ type: () => true, limit: '4kb' }), requireSignature, async (req, res) => {
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

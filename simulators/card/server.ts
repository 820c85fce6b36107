/**
 * The card acquirer's sandbox, speaking a Stripe-like protocol.
 *
 * API (Authorization: Bearer <API key>; JSON; amounts are decimal strings of minor units; errors are
 * `{ error: { type, message? } }`; POSTs take an Idempotency-Key, a repeat replays, one with another request is 409 idempotency_error):
 *   POST /v1/authorizations                  { reference, amount, currency, capture, card, notify_url } → authorization
 *   GET  /v1/authorizations/:id              → authorization | 404
 *   GET  /v1/authorizations?reference=<ref>  → the latest authorization made for our reference | 404
 *   POST /v1/authorizations/:id/capture      { amount? } → authorization (409 invalid_state unless authorized)
 *   POST /v1/authorizations/:id/void         → authorization (an already voided one is answered as it is)
 *   POST /v1/refunds                         { authorization, amount, reference } → refund
 *   GET  /v1/refunds/:id                     → refund | 404
 *   GET  /v1/refunds?reference=<ref>         → the latest refund made for our reference | 404
 *   GET  /v1/settlement-reports/:date        → CSV with Content-Digest
 * Sandbox (no API key):
 *   GET  /3ds/:id, POST /sandbox/3ds/:id { outcome }         the payer's 3-D Secure challenge
 *   POST /sandbox/latency { ms }                              every API answer waits this long
 *   POST|DELETE /sandbox/settlement-corruptions               a day's report made wrong on purpose
 *   POST /sandbox/faults { drop | unavailable: authorize|capture|void|refund, count? }, GET and DELETE /sandbox/faults
 *        drop: applied, then the connection reset without an answer; unavailable: 503 api_error, not applied
 *   GET  /sandbox/effects[?reference=<payment reference>]     every authorization, capture, void and refund made
 */
import express, { type ErrorRequestHandler } from 'express';
import { apiRoutes } from './api-routes.js';
import { effectRoutes } from './effects.js';
import { faultRoutes } from './faults.js';
import { invalidRequest, notFound, providerError, send } from './reply.js';
import { sandboxRoutes } from './sandbox-routes.js';
import { settlementCorruptionRoutes } from './settlement-routes.js';
import { createSimulatorState } from './state.js';
import { serveSandbox } from '../../lib/http-server.js';
import { noSniff } from '../../lib/no-sniff.js';

export interface CardSimulatorOptions {
  /** 0 or absent: a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  apiKey: string;
  webhookSecret: string;
}

export interface CardSimulator {
  url: string;
  close: () => Promise<void>;
}

// Logs nothing and never echoes the request: a JSON syntax error's message quotes the body, card number included.
const answerErrorsQuietly: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const { status, type } = error as { status?: unknown; type?: unknown };
  if (type === 'entity.parse.failed') return send(res, invalidRequest('the request body is not valid JSON'));
  if (typeof status === 'number' && status >= 400 && status < 500) return send(res, invalidRequest('the request body could not be read'));
  send(res, providerError(500, 'api_error'));
};

/** Starts the card acquirer's sandbox: an HTTP server with its state in memory. */
export async function startCardSimulator(options: CardSimulatorOptions): Promise<CardSimulator> {
  const state = createSimulatorState(options.webhookSecret);
  const app = express();
  app.disable('x-powered-by');
  app.use(noSniff);
  app.use('/v1', apiRoutes(state, options.apiKey));
  app.use(sandboxRoutes(state));
  app.use(settlementCorruptionRoutes(state));
  app.use(faultRoutes(state));
  app.use(effectRoutes(state));
  app.use((_req, res) => send(res, notFound()));
  app.use(answerErrorsQuietly);

  const server = await serveSandbox(app, options.port, options.host);
  state.baseUrl = server.url;
  return {
    url: state.baseUrl,
    close: () => server.close(),
  };
}

import express, { type ErrorRequestHandler } from 'express';
import { apiRoutes } from './api-routes.js';
import { invalidRequest, notFound, providerError, send } from './reply.js';
import { sandboxRoutes } from './sandbox-routes.js';
import { settlementCorruptionRoutes } from './settlement-routes.js';
import { createSimulatorState } from './state.js';
import { serveSandbox } from '../../lib/http-server.js';

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
  app.use('/v1', apiRoutes(state, options.apiKey));
  app.use(sandboxRoutes(state));
  app.use(settlementCorruptionRoutes(state));
  app.use((_req, res) => send(res, notFound()));
  app.use(answerErrorsQuietly);

  const server = await serveSandbox(app, options.port, options.host);
  state.baseUrl = server.url;
  return {
    url: state.baseUrl,
    close: () => server.close(),
  };
}

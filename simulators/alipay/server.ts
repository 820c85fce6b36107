import express, { type ErrorRequestHandler } from 'express';
import { invalid, unknown as systemBusy } from './answer.js';
import { billDownloadRoutes } from './bills.js';
import { gatewayRoutes } from './gateway-routes.js';
import { effectRoutes } from './effects.js';
import { compressedSchedule } from './notifier.js';
import { sandboxRoutes } from './sandbox-routes.js';
import { createSimulatorState } from './state.js';
import { serveSandbox } from '../../lib/http-server.js';
import { noSniff } from '../../lib/no-sniff.js';

export interface AlipaySimulatorOptions {
  /** 0 or absent: a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  appId: string;
  /** the merchant's public key (SPKI PEM): verifies its requests */
  appPublicKey: string;
  /** the simulator's own private key (PKCS#8 PEM): signs answers and notifications */
  privateKey: string;
  /** Alipay's notification retry schedule divided by this; default 10000 (25 hours in about 9 seconds) */
  notifyRetryDivisor?: number;
}

export interface AlipaySimulator {
  url: string;
  /** where merchants send OpenAPI requests */
  gatewayUrl: string;
  close: () => Promise<void>;
}

// Alipay's own answer to a request it cannot read (an unsigned error_response), never express's HTML page; the request is never echoed.
const answerErrors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const status = (error as { status?: unknown }).status;
  const readable = !(typeof status === 'number' && status >= 400 && status < 500);
  res.status(readable ? 500 : 400).json({ error_response: readable ? systemBusy() : invalid('isv.invalid-request', 'the request could not be read') });
};

/** Starts Alipay's sandbox: the OpenAPI gateway, bill downloads and sandbox controls, state in memory. */
export async function startAlipaySimulator(options: AlipaySimulatorOptions): Promise<AlipaySimulator> {
  const state = createSimulatorState({
    appId: options.appId,
    appPublicKey: options.appPublicKey,
    privateKey: options.privateKey,
    notifyRetryDelaysMs: compressedSchedule(options.notifyRetryDivisor ?? 10_000),
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(noSniff);
  app.use(gatewayRoutes(state));
  app.use(billDownloadRoutes(state));
  app.use(sandboxRoutes(state));
  app.use(effectRoutes(state));
  app.use((_req, res) => void res.status(404).type('text/plain').send('not found'));
  app.use(answerErrors);

  const server = await serveSandbox(app, options.port, options.host);
  state.baseUrl = server.url;
  return {
    url: state.baseUrl,
    gatewayUrl: `${state.baseUrl}/gateway.do`,
    close: async () => {
      state.stopping.abort();
      await Promise.allSettled([...state.background]);
      await server.close();
    },
  };
}

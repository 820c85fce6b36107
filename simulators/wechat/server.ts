import express, { type ErrorRequestHandler } from 'express';
import { apiRoutes } from './api-routes.js';
import { effectRoutes } from './effects.js';
import { sandboxRoutes } from './sandbox-routes.js';
import { createSimulatorState, type SimulatorOptions } from './state.js';
import { serveSandbox } from '../../lib/http-server.js';
import { noSniff } from '../../lib/no-sniff.js';

export interface WechatPaySimulatorOptions extends SimulatorOptions {
  /** 0 or absent: a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
}

export interface WechatPaySimulator {
  url: string;
  close: () => Promise<void>;
}

const answerErrors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return void res.status(400).json({ code: 'PARAM_ERROR', message: 'the request could not be read' });
  res.status(500).json({ code: 'SYSTEM_ERROR', message: '系统错误' });
};

/** Starts the WeChat Pay API v3 sandbox: an HTTP server with its state in memory and its keys given. */
export async function startWechatPaySimulator(options: WechatPaySimulatorOptions): Promise<WechatPaySimulator> {
  const state = createSimulatorState(options);
  const app = express();
  app.disable('x-powered-by');
  app.use(noSniff);
  app.use('/v3', apiRoutes(state));
  app.use('/sandbox', sandboxRoutes(state));
  app.use('/sandbox', effectRoutes(state));
  app.use((_req, res) => void res.status(404).json({ code: 'NOT_FOUND', message: 'no such API' }));
  app.use(answerErrors);

  const server = await serveSandbox(app, options.port, options.host);
  state.baseUrl = server.url;
  return {
    url: state.baseUrl,
    close: () => {
      state.shutdown.abort();
      return server.close();
    },
  };
}

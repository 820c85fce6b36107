import { createServer } from 'node:http';
import type { Registry } from 'prom-client';
import { listenOn } from '../http-server.js';
import { logInternalError } from '../log.js';
import type { MetricsConfig } from './config.js';
import { METRICS_CONTENT_TYPE, scrape } from './registry.js';

export interface MetricsServer {
  /** e.g. http://127.0.0.1:9464/metrics, with the port actually bound */
  url: string;
  close: () => Promise<void>;
}

/** GET /metrics on a port of its own (never the public one); anything else is 404. */
export async function startMetricsServer(service: string, registry: Registry, config: MetricsConfig): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    scrape(registry).then(
      (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
      (error: unknown) => {
        logInternalError(`${service} metrics`, error);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n');
      },
    );
  });
  const address = await listenOn(server, config.port, config.host);
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

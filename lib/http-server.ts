import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { listenFailure } from './start-failure.js';

export interface RunningServer {
  server: Server;
  /** http://host:port, with the port actually bound (port 0 picks a free one) */
  url: string;
  close: () => Promise<void>;
}

/** Binds a server (port 0: any free port); a bind error (port taken) rejects instead of being thrown later. */
export async function listenOn(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

/** How a service's server is named in a start failure, and how long its shutdown waits for requests in flight. */
export interface ListenOptions {
  /** e.g. `payment`, with the variable that sets the port (`PAYMENT_PORT`): a taken port is said in their words */
  service?: string;
  portVariable?: string;
  /** SHUTDOWN_GRACE: requests still running this long after `close` began have their connections cut; default 10 s */
  graceMs?: number;
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/**
 * Stops accepting connections, closes the idle ones, lets the requests in flight finish (their
 * connections close once answered) and, after `graceMs`, cuts what is still open.
 */
export function closeGracefully(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  cut.unref();
  return closed.finally(() => clearTimeout(cut));
}

export async function listen(app: Express, port: number, host: string, options: ListenOptions = {}): Promise<RunningServer> {
  const server = createServer();
  server.keepAliveTimeout = 65_000;
  let closing: Promise<void> | undefined;
  // once closing, a keep-alive connection is closed after the answer it carries
  const inFlight = new Set<ServerResponse>();
  const lastOnConnection = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) return lastOnConnection(res);
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  server.on('request', app);
  let address: AddressInfo;
  try {
    address = await listenOn(server, port, host);
  } catch (error) {
    throw options.service && options.portVariable ? listenFailure(options.service, options.portVariable, port, host, error) : error;
  }
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () => {
      if (!closing) {
        closing = closeGracefully(server, options.graceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
        inFlight.forEach(lastOnConnection);
      }
      return closing;
    },
  };
}

/**
 * A sandbox's server (the simulators): any free port unless given, its URL the address actually bound;
 * `close` lets requests in progress finish.
 */
export async function serveSandbox(app: Express, port = 0, host = '127.0.0.1'): Promise<RunningServer> {
  const server = createServer(app);
  const address = await listenOn(server, port, host);
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request that reached the proxy, and how it was answered once it was. */
export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** the status sent back ('reset' for a connection cut); undefined while held or in flight */
  answer?: number | 'reset';
  /** the body sent back, when it was forwarded */
  answerBody?: string;
}

export type RequestMatch = (request: ProxiedRequest) => boolean;

/** How the proxy fails a request: cut the connection (the caller sees "socket hang up"), or answer 503. */
export type Fault = 'reset' | 'unavailable';

/**
 * An HTTP pass-through in front of a subgraph that can be switched to fail or hold the requests
 * that match, for tests of what the gateway does while a subgraph is down.
 */
export interface FaultProxy {
  url: string;
  requests: ProxiedRequest[];
  /** matching requests get `fault` instead of being forwarded: the next `times` of them, or every one until heal() */
  fail(which: RequestMatch, fault: Fault, times?: number): void;
  /** matching requests wait until release() or heal() */
  hold(which: RequestMatch): void;
  /** how many requests are waiting */
  readonly held: number;
  /** forwards the waiting requests (matching ones that come later wait again) */
  release(): void;
  /** no more faults or holds; waiting requests are forwarded */
  heal(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const requests: ProxiedRequest[] = [];
  let failing: { which: RequestMatch; fault: Fault; left: number } | null = null;
  let holding: RequestMatch | null = null;
  let waiting: (() => void)[] = [];

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, seen: ProxiedRequest) => {
    const forwarded = request(
      { host: targetUrl.hostname, port: targetUrl.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          seen.answer = answer.statusCode ?? 502;
          seen.answerBody = body.toString('utf8');
          outgoing.writeHead(seen.answer, answer.headers).end(body);
        });
      },
    );
    forwarded.on('error', () => {
      seen.answer = 502;
      outgoing.writeHead(502).end();
    });
    forwarded.end(seen.body);
  };

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const seen: ProxiedRequest = { method: incoming.method ?? '', path: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      if (failing && failing.left > 0 && failing.which(seen)) {
        failing.left--;
        if (failing.fault === 'reset') {
          seen.answer = 'reset';
          incoming.socket.destroy();
        } else {
          seen.answer = 503;
          outgoing.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
        }
        return;
      }
      if (holding?.(seen)) waiting.push(() => forward(incoming, outgoing, seen));
      else forward(incoming, outgoing, seen);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const release = () => {
    const released = waiting;
    waiting = [];
    for (const go of released) go();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    fail: (which, fault, times = Infinity) => void (failing = { which, fault, left: times }),
    hold: (which) => void (holding = which),
    get held() {
      return waiting.length;
    },
    release,
    heal() {
      failing = null;
      holding = null;
      release();
    },
    close: () => {
      release();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A small round-robin HTTP and WebSocket balancer for gateway replicas where no nginx or HAProxy runs
 * (`npm run start:cluster`): each request or WebSocket goes to the next replica; one that refuses a
 * connection is skipped for `downForMs` and the request goes to the next (it never reached the refused one,
 * so even a mutation is safe to resend). Responses stream through as they come (statements, SSE).
 * It adds X-Forwarded-For/-Proto/-Host; the gateways trust them with TRUST_PROXY=loopback.
 */
export interface LoadBalancerOptions {
  port: number;
  host: string;
  /** base URLs, http://host:port */
  backends?: readonly string[];
  /** how long a replica that refused a connection is skipped (default 5 s) */
  downForMs?: number;
  /** the largest request body buffered for a retry (default 10 MiB; larger: 413) */
  maxBodyBytes?: number;
}

export interface LoadBalancer {
  url: string;
  /** the replicas requests go to from now on */
  setBackends: (urls: readonly string[]) => void;
  close: () => Promise<void>;
}

interface Backend {
  host: string;
  port: number;
  downUntil: number;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

function forwardedHeaders(req: IncomingMessage): IncomingHttpHeaders {
  const client = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  return {
    'x-forwarded-for': prior ? `${String(prior)}, ${client}` : client,
    'x-forwarded-proto': String(req.headers['x-forwarded-proto'] ?? 'http'),
    'x-forwarded-host': String(req.headers['x-forwarded-host'] ?? req.headers.host ?? ''),
  };
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.includes(name)));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export async function startLoadBalancer(options: LoadBalancerOptions): Promise<LoadBalancer> {
  const downForMs = options.downForMs ?? 5_000;
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  let backends: Backend[] = [];
  let next = 0;
  const setBackends = (urls: readonly string[]) => {
    backends = urls.map((url) => {
      const { hostname, port } = new URL(url);
      return { host: hostname, port: Number(port), downUntil: 0 };
    });
  };
  setBackends(options.backends ?? []);

  /** The replicas in the order to try them: round robin, the ones marked down last. */
  const order = (): Backend[] => {
    const start = next++ % Math.max(1, backends.length);
    const turn = [...backends.slice(start), ...backends.slice(0, start)];
    const now = Date.now();
    return [...turn.filter((b) => b.downUntil <= now), ...turn.filter((b) => b.downUntil > now)];
  };

  const proxy = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req, maxBodyBytes);
    if (body === null) return res.writeHead(413).end();
    const bodyless = body.length === 0 && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined;
    const headers: IncomingHttpHeaders = { ...withoutHopByHop(req.headers), ...forwardedHeaders(req), ...(bodyless ? {} : { 'content-length': String(body.length) }) };
    const attempt = (candidates: Backend[]) => {
      const backend = candidates[0];
      if (!backend) return res.writeHead(502, { 'content-type': 'text/plain' }).end('no gateway replica answers\n');
      const upstream = request({ host: backend.host, port: backend.port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
        answer.pipe(res);
      });
      upstream.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') {
          backend.downUntil = Date.now() + downForMs;
          return attempt(candidates.slice(1));
        }
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('gateway replica failed\n');
        else res.destroy(error);
      });
      res.once('close', () => upstream.destroy());
      upstream.end(body);
    };
    attempt(order());
  };

  const tunnel = (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const attempt = (candidates: Backend[]) => {
      const backend = candidates[0];
      if (!backend) return client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\n');
      const upstream: Socket = connect(backend.port, backend.host);
      const onConnectError = (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') backend.downUntil = Date.now() + downForMs;
        attempt(candidates.slice(1));
      };
      upstream.once('error', onConnectError);
      upstream.once('connect', () => {
        upstream.off('error', onConnectError);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
        const headers = { ...req.headers, ...forwardedHeaders(req) };
        const lines = Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((one) => `${name}: ${one}`));
        upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
    };
    attempt(order());
  };

  const sockets = new Set<Duplex>();
  const server = createServer((req, res) => {
    proxy(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    tunnel(req, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    setBackends,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

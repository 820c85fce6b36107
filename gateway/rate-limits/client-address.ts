import type { IncomingMessage } from 'node:http';
import type { Express } from 'express';

/** express's compiled 'trust proxy': whether the address `hop` steps from this server is a proxy of ours */
export type TrustProxy = (address: string, hop: number) => boolean;

/** Sets express's 'trust proxy' (TRUST_PROXY) and answers it compiled, for requests that do not pass through express. */
export function trustProxy(app: Express, setting: boolean | number | string): TrustProxy {
  app.set('trust proxy', setting);
  return app.get('trust proxy fn') as TrustProxy;
}

/**
 * The client's address as express's req.ip tells it, also for a WebSocket upgrade (which never passes
 * through express): the socket's peer, or, while that peer is a trusted proxy, the next address of
 * X-Forwarded-For from the right. Off by default, so a client cannot choose its address by a header.
 */
export function clientAddress(request: IncomingMessage, trust: TrustProxy): string {
  const forwarded = request.headers['x-forwarded-for'];
  const chain = [request.socket.remoteAddress ?? 'unknown'];
  if (typeof forwarded === 'string') chain.push(...forwarded.split(',').map((address) => address.trim()).reverse());
  let hop = 0;
  while (hop < chain.length - 1 && trust(chain[hop]!, hop)) hop++;
  return chain[hop]!;
}

import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { DomainError } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import { MAX_BODY_BYTES } from '../body-limit.js';
import { clientAddress } from '../rate-limits/client-address.js';
import type { GatewayRateLimits } from '../rate-limits/http-limits.js';
import { keySlots } from './key-slots.js';

/** Close codes of refused WebSocket connections (application range 4000-4999; 1009: a message over MAX_BODY_BYTES). */
export const CONNECTION_CLOSE_CODES = {
  /** MAX_WEBSOCKETS_PER_ADDRESS open already */
  tooManyFromAddress: 4430,
  /** MAX_WEBSOCKETS_PER_KEY open already */
  tooManyForKey: 4431,
  /** RATE_LIMITED: the address's request budget is spent, or it failed authentication too often; the reason says when to retry */
  rateLimited: 4432,
} as const;

const reasonOf = (text: string) => (Buffer.byteLength(text) <= 123 ? text : `${Buffer.from(text).subarray(0, 120).toString()}...`);

/**
 * ws's WebSocket, quiet about a client's protocol faults (a message over maxPayload, invalid UTF-8): ws has
 * closed the connection with the matching code (1009, 1007) already, and graphql-ws would log each one
 * as an internal error, which would let any client fill the logs.
 */
class ClientFaultQuietWebSocket extends WebSocket {
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const code = (args[0] as { code?: unknown } | undefined)?.code;
    if (event === 'error' && typeof code === 'string' && code.startsWith('WS_ERR_')) return false;
    return super.emit(event, ...args);
  }
}

export function closeRefused(socket: WebSocket, code: number, reason: string): void {
  socket.close(code, reasonOf(reason));
}

export function closeRateLimited(socket: WebSocket, refusal: DomainError): void {
  closeRefused(socket, CONNECTION_CLOSE_CODES.rateLimited, refusal.message);
}

/**
 * The WebSocket server of the gateway's path, with its limits before graphql-ws sees a connection: no
 * message larger than an HTTP body (ws refuses a longer frame from its header, close 1009, without
 * reading it), the address's request budget and lockout at the upgrade, and its open connections.
 * Connections per API key are counted once the key is known (`enterKey`).
 */
export function acceptWebSockets(options: { server: Server; path: string; rateLimits: GatewayRateLimits }) {
  const { limits, settings, trust } = options.rateLimits;
  const wss = new WebSocketServer({ noServer: true, path: options.path, maxPayload: MAX_BODY_BYTES, WebSocket: ClientFaultQuietWebSocket });
  const perAddress = keySlots(settings.maxWebSocketsPerAddress);
  const perKey = keySlots(settings.maxWebSocketsPerKey);

  const accept = (request: IncomingMessage, socket: Duplex, head: Buffer, refusal: DomainError | null, address: string) =>
    wss.handleUpgrade(request, socket, head, (client) => {
      if (refusal) return closeRateLimited(client, refusal);
      const release = perAddress.take(address);
      if (!release) {
        options.rateLimits.refused('websockets_per_address');
        return closeRefused(client, CONNECTION_CLOSE_CODES.tooManyFromAddress, `Too many WebSocket connections from this address (at most ${settings.maxWebSocketsPerAddress})`);
      }
      client.once('close', release);
      wss.emit('connection', client, request);
    });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!wss.shouldHandle(request)) return accept(request, socket, head, null, '');
    const address = clientAddress(request, trust);
    limits.admitAddress(address).then(
      (refusal) => accept(request, socket, head, refusal, address),
      () => socket.destroy(),
    );
  };
  options.server.on('upgrade', onUpgrade);

  return {
    wss,
    addressOf: (request: IncomingMessage) => clientAddress(request, trust),
    /** counts an authenticated connection against its key until it closes; false (and closed with 4431) when the key has its share */
    enterKey(socket: WebSocket, principal: Principal): boolean {
      if (principal.keyId === null) return true;
      const release = perKey.take(principal.keyId);
      if (!release) {
        options.rateLimits.refused('websockets_per_key');
        closeRefused(socket, CONNECTION_CLOSE_CODES.tooManyForKey, `Too many WebSocket connections with this API key (at most ${settings.maxWebSocketsPerKey})`);
        return false;
      }
      if (socket.readyState !== WebSocket.OPEN) release();
      else socket.once('close', release);
      return true;
    },
    stopAccepting: () => void options.server.off('upgrade', onUpgrade),
  };
}

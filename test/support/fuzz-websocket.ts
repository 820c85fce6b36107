import WebSocket from 'ws';
import { ANSWER_TIMEOUT_MS } from './fuzz-checks.js';

/** What one WebSocket exchange received: every message in order, and how the socket ended. */
export interface WebSocketExchange {
  messages: string[];
  /** the close code and reason, or null when the exchange ended with the socket open */
  closed: { code: number; reason: string } | null;
  /** set when the gateway did not answer in time */
  stalled: string | null;
}

const MARKER_ID = 'fuzz-marker';

/**
 * Opens a graphql-transport-ws socket, sends `init` and waits for its acknowledgement (or the close), then sends
 * `frames`, then a query as a marker: once the marker's result completes, the frames before it have been read
 * (graphql-ws answers a connection's messages as they come; an admitted subscription itself answers nothing).
 */
export async function exchange(url: string, init: string | Buffer, frames: (string | Buffer)[]): Promise<WebSocketExchange> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const result: WebSocketExchange = { messages: [], closed: null, stalled: null };
  let notify = () => {};
  const changed = () => new Promise<void>((resolve) => (notify = resolve));
  socket.on('message', (data: Buffer) => {
    result.messages.push(data.toString('utf8'));
    notify();
  });
  socket.on('close', (code, reason) => {
    result.closed = { code, reason: reason.toString('utf8') };
    notify();
  });
  socket.on('open', () => notify());
  socket.on('error', () => notify());
  const until = async (what: string, holds: () => boolean) => {
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    while (!holds() && result.closed === null) {
      const left = deadline - Date.now();
      if (left <= 0) {
        result.stalled = `no ${what} within ${ANSWER_TIMEOUT_MS} ms`;
        return;
      }
      const timer = new Promise<void>((resolve) => setTimeout(resolve, Math.min(left, 1000)));
      await Promise.race([changed(), timer]);
    }
  };
  await until('open', () => socket.readyState === WebSocket.OPEN);
  if (socket.readyState === WebSocket.OPEN) {
    socket.send(init);
    await until('connection_ack', () => result.messages.some((message) => message.includes('"connection_ack"')));
    if (result.closed === null && result.stalled === null) {
      for (const frame of frames) socket.send(frame);
      socket.send(JSON.stringify({ id: MARKER_ID, type: 'subscribe', payload: { query: '{ __typename }' } }));
      await until('answer to the marker', () => result.messages.some((message) => message.includes(`"${MARKER_ID}"`)));
    }
  }
  if (result.closed === null) {
    const closing = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.close(1000);
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 5000))]);
    result.closed = null;
  }
  return result;
}

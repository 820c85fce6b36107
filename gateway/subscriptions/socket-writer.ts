import type { WebSocket } from 'ws';

/** Writes text frames to one connection; the frames written in one tick leave in one socket write. */
export type SocketWriter = (message: string) => Promise<void>;

/**
 * A connection's writer: the first frame of a tick corks the TCP socket and the tick's end uncorks it,
 * so the `next` messages of one event for several subscriptions of a connection go out together.
 * Resolves when ws has handed the frame to the socket (graphql-ws awaits each send the same way), and at
 * once on a connection that is no longer open (graphql-ws drops such a send).
 */
export function socketWriter(socket: WebSocket): SocketWriter {
  const tcp = (socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
  let corked = false;
  const uncork = () => {
    corked = false;
    tcp?.uncork();
  };
  return (message) =>
    new Promise<void>((resolve, reject) => {
      if (socket.readyState !== socket.OPEN) return resolve();
      if (!corked && tcp) {
        corked = true;
        tcp.cork();
        process.nextTick(uncork);
      }
      socket.send(message, (error) => (error ? reject(error) : resolve()));
    });
}

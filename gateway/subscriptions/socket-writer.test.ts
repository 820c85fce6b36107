import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { socketWriter } from './socket-writer.js';

function fakeSocket(open = true) {
  const log: string[] = [];
  const socket = {
    OPEN: 1,
    readyState: open ? 1 : 3,
    _socket: { cork: () => void log.push('cork'), uncork: () => void log.push('uncork') },
    send: (message: string, done: (error?: Error) => void) => {
      log.push(message);
      setImmediate(() => done());
    },
  };
  return { socket: socket as unknown as WebSocket, log };
}

describe('a connection’s writer', () => {
  it('sends the frames of one tick under one cork of the TCP socket', async () => {
    const { socket, log } = fakeSocket();
    const write = socketWriter(socket);
    await Promise.all([write('a'), write('b'), write('c')]);
    await write('d');
    expect(log).toEqual(['cork', 'a', 'b', 'c', 'uncork', 'cork', 'd', 'uncork']);
  });

  it('drops a frame for a connection that is no longer open, as graphql-ws does', async () => {
    const { socket, log } = fakeSocket(false);
    await socketWriter(socket)('a');
    expect(log).toEqual([]);
  });
});

import type { WebSocket } from 'ws';

/** The open connections of each API key, so that a revoked key's can be closed (the bootstrap admin key, null, is never revoked). */
export function socketsByKey() {
  const open = new Map<string, Set<WebSocket>>();
  return {
    add(keyId: string | null, socket: WebSocket): void {
      if (keyId === null) return;
      let sockets = open.get(keyId);
      if (!sockets) open.set(keyId, (sockets = new Set()));
      sockets.add(socket);
      socket.once('close', () => {
        sockets.delete(socket);
        if (sockets.size === 0 && open.get(keyId) === sockets) open.delete(keyId);
      });
    },
    close(keyId: string, code: number, reason: string): void {
      for (const socket of open.get(keyId) ?? []) socket.close(code, reason);
    },
  };
}

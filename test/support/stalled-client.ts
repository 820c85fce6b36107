import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { pollUntil } from './eventually.js';

/**
 * A graphql-transport-ws client on a raw TCP socket that subscribes and then stops reading, like a
 * partner whose process hangs: the gateway's writes pile up in the socket until it gives up on it.
 */
export interface StalledClient {
  /** starts reading again and resolves with the close code the gateway sent (null if none) */
  closeCode(ms?: number): Promise<number | null>;
  destroy(): void;
}

function frame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const length = payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x81]), length, mask, masked]);
}

/** Splits server frames (never masked) off the front of `data`: [opcode, payload] each, and the incomplete rest. */
function takeFrames(data: Buffer): { frames: [number, Buffer][]; rest: Buffer } {
  const found: [number, Buffer][] = [];
  let at = 0;
  while (at + 2 <= data.length) {
    const opcode = data[at]! & 0x0f;
    let length = data[at + 1]! & 0x7f;
    let start = at + 2;
    if (length === 126) {
      if (at + 4 > data.length) break;
      length = data.readUInt16BE(at + 2);
      start = at + 4;
    } else if (length === 127) {
      if (at + 10 > data.length) break;
      length = Number(data.readBigUInt64BE(at + 2));
      start = at + 10;
    }
    if (start + length > data.length) break;
    found.push([opcode, data.subarray(start, start + length)]);
    at = start + length;
  }
  return { frames: found, rest: data.subarray(at) };
}

export async function stalledSubscriber(gatewayUrl: string, apiKey: string, query: string, variables: Record<string, unknown> = {}): Promise<StalledClient> {
  const url = new URL(gatewayUrl);
  const socket: Socket = connect(Number(url.port), url.hostname);
  let received = Buffer.alloc(0);
  let upgraded = false;
  const texts: string[] = [];
  let closeCode: number | null | undefined;
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    if (!upgraded) return;
    const { frames, rest } = takeFrames(received);
    received = Buffer.from(rest);
    for (const [opcode, payload] of frames) {
      if (opcode === 0x1) texts.push(payload.length < 4096 ? payload.toString() : '(large message)');
      if (opcode === 0x8) closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : null;
    }
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(
    [
      'GET /graphql HTTP/1.1',
      `Host: ${url.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Protocol: graphql-transport-ws',
      '',
      '',
    ].join('\r\n'),
  );
  await pollUntil(() => received.includes('\r\n\r\n'), { what: 'the WebSocket handshake' });
  if (!received.toString('latin1').startsWith('HTTP/1.1 101')) throw new Error(`handshake refused: ${received.toString('latin1').split('\r\n')[0]}`);
  received = Buffer.from(received.subarray(received.indexOf('\r\n\r\n') + 4));
  upgraded = true;
  socket.write(frame(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } })));
  await pollUntil(() => texts.some((text) => text.includes('connection_ack')), { what: 'connection_ack' });
  socket.write(frame(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } })));
  socket.pause();

  return {
    async closeCode(ms = 30_000) {
      socket.resume();
      const deadline = Date.now() + ms;
      while (closeCode === undefined && !socket.destroyed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      return closeCode ?? null;
    },
    destroy: () => socket.destroy(),
  };
}

import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_BODY_BYTES } from '../../gateway/body-limit.js';
import { CONNECTION_CLOSE_CODES } from '../../gateway/subscriptions/connection-limits.js';
import type { RunningServer } from '../../lib/http-server.js';
import { eventually } from '../support/eventually.js';
import { startSystem, type System } from '../support/system.js';

let system: System;
const opened: RunningServer[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  for (const gateway of opened) await gateway.close();
  await system?.stop();
});

async function gatewayWith(env: Record<string, string>): Promise<URL> {
  const gateway = await system.startGateway(env, system.transport);
  opened.push(gateway);
  return new URL(gateway.url);
}

type Outcome = 'ack' | { code: number; reason: string };

/** A graphql-transport-ws connection: acknowledged, or the close code and reason it was refused with. */
function connection(gateway: URL, apiKey: string | null, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`ws://${gateway.host}/graphql`, 'graphql-transport-ws', { headers });
  sockets.push(socket);
  const messages: any[] = [];
  const outcome = new Promise<Outcome>((resolve) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: apiKey ? { authorization: `Bearer ${apiKey}` } : {} })));
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString());
      messages.push(message);
      if (message.type === 'connection_ack') resolve('ack');
    });
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    socket.on('error', () => undefined);
  });
  return { socket, outcome, messages };
}

/** A WebSocket handshake on a raw TCP socket, so that a test can write frames as large as it claims without holding them. */
async function rawUpgrade(gateway: URL): Promise<Socket> {
  const socket = connect(Number(gateway.port), gateway.hostname);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    `GET /graphql HTTP/1.1\r\nHost: ${gateway.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n',
  );
  let head = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`no upgrade: ${head}`));
    };
    socket.on('data', onData);
  });
  return socket;
}

/** The code of the first close frame the server sends (server frames are never masked). */
function closeFrame(socket: Socket): Promise<number | null> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      while (data.length >= 2) {
        const opcode = data[0]! & 0x0f;
        const length = data[1]! & 0x7f;
        if (data.length < 2 + length) return;
        if (opcode === 0x8) return resolve(length >= 2 ? data.readUInt16BE(2) : null);
        data = data.subarray(2 + length);
      }
    });
    socket.on('close', () => resolve(null));
  });
}

const FRAME_BYTES = 90_000_000;

/**
 * A connection_init text frame that claims 90 MB, its payload streamed in 64 KiB chunks until the server
 * closes the connection: the time to the close frame, its code and how much was sent by then.
 */
async function sendHugeConnectionInit(gateway: URL): Promise<{ code: number | null; ms: number; sentBytes: number }> {
  const socket = await rawUpgrade(gateway);
  const closed = closeFrame(socket);
  let refused = false;
  void closed.then(() => (refused = true));
  const header = Buffer.alloc(14);
  header[0] = 0x81;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(FRAME_BYTES), 2);
  // mask key 0: the payload travels as written
  const started = performance.now();
  socket.write(Buffer.concat([header, Buffer.from('{"type":"connection_init","payload":{"authorization":"Bearer ')]));
  const chunk = Buffer.alloc(64 * 1024, 'x'.charCodeAt(0));
  let sentBytes = 0;
  while (!refused && sentBytes < FRAME_BYTES && !socket.destroyed) {
    sentBytes += chunk.length;
    if (!socket.write(chunk)) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
  }
  const code = await closed;
  const ms = performance.now() - started;
  socket.destroy();
  return { code, ms, sentBytes };
}

const memory = () => {
  const usage = process.memoryUsage();
  return { rss: usage.rss, held: usage.heapUsed + usage.arrayBuffers };
};
const MB = 1024 * 1024;

describe('WebSocket messages are no larger than an HTTP body', () => {
  it(`six 90 MB connection_init frames without a key: each closed 1009 at its header, memory unmoved, a good key answered at once`, async () => {
    const gateway = await gatewayWith({});
    const before = memory();
    const refusals = await Promise.all(Array.from({ length: 6 }, () => sendHugeConnectionInit(gateway)));
    const after = memory();
    for (const refusal of refusals) {
      expect(refusal.code).toBe(1009);
      // refused from the frame's header: the client had written a small part of its 90 MB
      expect(refusal.sentBytes).toBeLessThan(FRAME_BYTES / 4);
      expect(refusal.ms).toBeLessThan(5_000);
    }
    expect((after.held - before.held) / MB).toBeLessThan(64);
    expect((after.rss - before.rss) / MB).toBeLessThan(200);

    // a key never seen before (so looked up in the payment subgraph) is answered over HTTP and WebSocket
    const { apiKey } = await system.seedMerchant('Right after the flood');
    const asked = performance.now();
    const response = await fetch(`${gateway.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
    expect(await connection(gateway, apiKey).outcome).toBe('ack');
    expect(performance.now() - asked).toBeLessThan(5_000);
  });

  it('an authenticated subscribe message over the limit closes the connection with 1009; one under it is answered', async () => {
    const gateway = await gatewayWith({});
    const { apiKey } = await system.seedMerchant('Large documents');
    const under = connection(gateway, apiKey);
    expect(await under.outcome).toBe('ack');
    const padding = (bytes: number) => `subscription { paymentStatusChanged { paymentId ${'status '.repeat(Math.floor(bytes / 7))} } }`;
    under.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: padding(MAX_BODY_BYTES - 10_000) } }));
    await eventually(() => under.messages, (messages) => messages.some((message) => message.id === '1'), { what: 'an answer to the subscribe' });
    expect(under.socket.readyState).toBe(WebSocket.OPEN);

    const over = connection(gateway, apiKey);
    expect(await over.outcome).toBe('ack');
    const closed = new Promise<number>((resolve) => over.socket.once('close', (code) => resolve(code)));
    over.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: padding(MAX_BODY_BYTES + 1) } }));
    expect(await closed).toBe(1009);
  });
});

describe('WebSocket connection limits', () => {
  it(`per address: the connection over MAX_WEBSOCKETS_PER_ADDRESS is closed with ${CONNECTION_CLOSE_CODES.tooManyFromAddress}, and admitted once one has closed`, async () => {
    const gateway = await gatewayWith({ MAX_WEBSOCKETS_PER_ADDRESS: '2' });
    const first = connection(gateway, system.adminKey);
    const second = connection(gateway, system.adminKey);
    expect([await first.outcome, await second.outcome]).toEqual(['ack', 'ack']);
    const third = await connection(gateway, system.adminKey).outcome;
    expect(third).toMatchObject({ code: CONNECTION_CLOSE_CODES.tooManyFromAddress, reason: expect.stringMatching(/at most 2/) });
    first.socket.close();
    await eventually(() => connection(gateway, system.adminKey).outcome, (outcome) => outcome === 'ack', { what: 'a connection admitted again' });
  });

  it(`per key: the connection over MAX_WEBSOCKETS_PER_KEY is closed with ${CONNECTION_CLOSE_CODES.tooManyForKey}; other keys and the ADMIN key are not counted with it`, async () => {
    const gateway = await gatewayWith({ MAX_WEBSOCKETS_PER_KEY: '2' });
    const { apiKey } = await system.seedMerchant('Many tabs');
    const other = await system.seedMerchant('One tab');
    expect([await connection(gateway, apiKey).outcome, await connection(gateway, apiKey).outcome]).toEqual(['ack', 'ack']);
    expect(await connection(gateway, apiKey).outcome).toMatchObject({ code: CONNECTION_CLOSE_CODES.tooManyForKey });
    expect(await connection(gateway, other.apiKey).outcome).toBe('ack');
    for (let i = 0; i < 3; i++) expect(await connection(gateway, system.adminKey).outcome).toBe('ack');
  });

  it(`failed authentications: after AUTH_FAILURE_LIMIT bad keys the address is closed with ${CONNECTION_CLOSE_CODES.rateLimited} before its key is checked`, async () => {
    const gateway = await gatewayWith({ AUTH_FAILURE_LIMIT: '2', AUTH_FAILURE_WINDOW: '10m', TRUST_PROXY: 'loopback' });
    const { apiKey } = await system.seedMerchant('Behind the same proxy');
    const attacker = { 'x-forwarded-for': '203.0.113.66' };
    for (let i = 0; i < 2; i++) expect(await connection(gateway, 'pgk_live_wrong', attacker).outcome).toMatchObject({ code: 4403 });
    expect(await connection(gateway, apiKey, attacker).outcome).toMatchObject({ code: CONNECTION_CLOSE_CODES.rateLimited, reason: expect.stringMatching(/retry after \d+ s/) });
    expect(await connection(gateway, apiKey, { 'x-forwarded-for': '203.0.113.67' }).outcome).toBe('ack');
  });

  it('subscribe messages count against the key: over its budget a subscribe is refused RATE_LIMITED with retryAfter', async () => {
    const gateway = await gatewayWith({ RATE_LIMIT_PER_KEY: '2', RATE_LIMIT_WINDOW: '1m' });
    const { apiKey } = await system.seedMerchant('Eager subscriber');
    const client = connection(gateway, apiKey);
    expect(await client.outcome).toBe('ack');
    for (const id of ['1', '2', '3']) client.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { paymentStatusChanged { paymentId status } }' } }));
    const refused = await eventually(() => client.messages.find((message) => message.id === '3'), (message) => message !== undefined, { what: 'the third subscribe answered' });
    expect(refused.type).toBe('error');
    expect(refused.payload[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(client.messages.filter((message) => message.type === 'error' && message.id !== '3')).toEqual([]);
  });
});

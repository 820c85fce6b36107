import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { freePort } from '../tools/free-port.js';
import { startLoadBalancer, type LoadBalancer } from './load-balancer.js';

const servers: { server: Server; sockets: WebSocketServer }[] = [];
let backends: string[] = [];
let balancer: LoadBalancer;

/** A replica that answers its name, the method, the body and the forwarded-for header; and echoes WebSocket messages with its name. */
async function replica(name: string): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => res.end(JSON.stringify({ name, method: req.method, body, forwardedFor: req.headers['x-forwarded-for'] })));
  });
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket) => socket.on('message', (data: Buffer) => socket.send(`${name}:${data.toString()}`)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ server, sockets });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  backends = [await replica('a'), await replica('b')];
  balancer = await startLoadBalancer({ port: 0, host: '127.0.0.1', backends });
});
afterAll(async () => {
  await balancer?.close();
  for (const { server, sockets } of servers) {
    for (const client of sockets.clients) client.terminate();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const ask = async (init?: RequestInit) => (await (await fetch(`${balancer.url}/graphql`, init)).json()) as { name: string; method: string; body: string; forwardedFor: string };

describe('load balancer', () => {
  it('sends requests to the replicas in turn, with their bodies and X-Forwarded-For', async () => {
    const names = [];
    for (let i = 0; i < 4; i++) names.push((await ask({ method: 'POST', body: `{"n":${i}}` })).name);
    expect(names.join('')).toMatch(/^(abab|baba)$/);
    const answer = await ask({ method: 'POST', body: '{"query":"{ viewer { id } }"}' });
    expect(answer).toMatchObject({ method: 'POST', body: '{"query":"{ viewer { id } }"}', forwardedFor: '127.0.0.1' });
  });

  it('skips a replica that refuses connections, resending the request to the next', async () => {
    balancer.setBackends([`http://127.0.0.1:${await freePort()}`, backends[1]!]);
    const names = [];
    for (let i = 0; i < 4; i++) names.push((await ask({ method: 'POST', body: 'x' })).name);
    expect(names).toEqual(['b', 'b', 'b', 'b']);
    balancer.setBackends(backends);
  });

  it('passes WebSocket upgrades through to a replica', async () => {
    const socket = new WebSocket(`${balancer.url.replace('http', 'ws')}/graphql`);
    const reply = await new Promise<string>((resolve, reject) => {
      socket.once('open', () => socket.send('ping'));
      socket.once('message', (data: Buffer) => resolve(data.toString()));
      socket.once('error', reject);
    });
    expect(reply).toMatch(/^[ab]:ping$/);
    socket.close();
  });
});

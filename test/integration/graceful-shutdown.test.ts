import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../lib/http-server.js';
import { eventually } from '../support/eventually.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { uniqueKey } from '../support/payments.js';
import { startSystem, type System } from '../support/system.js';

const IN_FLIGHT = 5;

/** Whether a new TCP connection to the URL's port is accepted. */
function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const CREATE = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id status } }`;

let system: System;
let proxy: FaultProxy;

beforeAll(async () => {
  system = await startSystem();
  proxy = await startFaultProxy(system.paymentUrl);
});

afterAll(async () => {
  await proxy?.close();
  await system?.stop();
});

describe('graceful shutdown', () => {
  it('a gateway closed while requests are in flight answers every one of them, and refuses new connections from the start', async () => {
    const { apiKey } = await system.seedMerchant();
    // a gateway of its own, reaching the payment subgraph through the proxy, which holds the payments' creation
    const gateway: RunningServer = await system.startGateway({ PAYMENT_SUBGRAPH_URL: proxy.url, SHUTDOWN_GRACE: '60s' }, null);
    proxy.hold((request) => request.path === '/graphql' && request.body.includes('createPayment'));
    const answers = Array.from({ length: IN_FLIGHT }, () =>
      fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query: CREATE, variables: { input: { amount: { amount: '10.00', currency: 'USD' }, channel: 'CARD', captureMethod: 'AUTOMATIC', idempotencyKey: uniqueKey('drain') } } }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as { data?: { createPayment?: { id: string } }; errors?: unknown } })),
    );
    await eventually(() => proxy.held, (held) => held === IN_FLIGHT, { what: `${IN_FLIGHT} payments held at the payment subgraph` });

    let closed = false;
    const closing = gateway.close().then(() => (closed = true));
    await eventually(() => accepts(gateway.url), (accepted) => !accepted, { what: 'new connections refused' });
    expect(closed).toBe(false);

    proxy.release();
    const settled = await Promise.all(answers);
    for (const answer of settled) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data?.createPayment?.id).toMatch(/.+/);
    }
    await closing;
    expect(await accepts(gateway.url)).toBe(false);
    proxy.heal();
  });

  it('a request still running after SHUTDOWN_GRACE has its connection cut, and the close completes', async () => {
    const { apiKey } = await system.seedMerchant();
    const gateway = await system.startGateway({ PAYMENT_SUBGRAPH_URL: proxy.url, SHUTDOWN_GRACE: '200ms' }, null);
    proxy.hold((request) => request.path === '/graphql' && request.body.includes('createPayment'));
    const answer = fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query: CREATE, variables: { input: { amount: { amount: '10.00', currency: 'USD' }, channel: 'CARD', captureMethod: 'AUTOMATIC', idempotencyKey: uniqueKey('cut') } } }),
    }).then(
      (response) => response.status,
      (error: unknown) => (error instanceof Error ? 'cut' : 'unknown'),
    );
    await eventually(() => proxy.held, (held) => held === 1, { what: 'the payment held' });
    await gateway.close();
    expect(await answer).toBe('cut');
    proxy.heal();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxPosition } from '../../lib/events/inbox.js';
import { signedJsonHeaders } from '../../lib/internal-signature.js';
import { encodePrincipal, type Principal } from '../../lib/principal.js';
import { loadTransactionConfig } from './config.js';
import { startTransactionSubgraph, type TransactionSubgraph } from './index.js';
import { AccountingStream, PaymentStream } from './test-kit.js';
import { TestClock } from '../../test/support/clock.js';
import { capturingTransport } from '../../test/support/capturing-transport.js';

const secret = 'transaction-test-internal-secret-0123456789';
const t0 = new Date('2026-11-22T10:00:00.000Z');

let subgraph: TransactionSubgraph;
let dataDir: string;
const { transport, subscriptions } = capturingTransport();
const handlerOf = (stream: string) => subscriptions.find((s) => s.stream === stream)!.handler;

async function query(principal: Principal, text: string) {
  const body = JSON.stringify({ query: text });
  const encoded = encodePrincipal(principal);
  const response = await fetch(`${subgraph.url}/graphql`, {
    method: 'POST',
    headers: signedJsonHeaders(secret, { method: 'POST', service: 'transaction', path: '/graphql', principal: encoded, body }),
    body,
  });
  return (await response.json()) as { data?: any };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paygraph-transaction-wiring-'));
  const config = loadTransactionConfig({ NODE_ENV: 'test', TRANSACTION_PORT: '0', DATA_DIR: dataDir, INTERNAL_SECRET: secret });
  subgraph = await startTransactionSubgraph(config, { transport, consumerName: 'test-consumer', clock: new TestClock(t0) });
});
afterAll(async () => {
  await subgraph.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the transaction subgraph', () => {
  it('subscribes to the payment and the accounting events in the transaction group under its consumer name', () => {
    expect(subscriptions.map(({ stream, group, consumer }) => [stream, group, consumer])).toEqual([
      ['payment-events', 'transaction', 'test-consumer'],
      ['accounting-events', 'transaction', 'test-consumer'],
    ]);
  });

  it('records what each stream delivers, with an inbox position per source', async () => {
    const payment = { paymentId: 'pay_1', merchantId: 'mer_1' };
    await handlerOf('payment-events')(new PaymentStream().refund(payment, 'refund.created', 're_1', 500n, t0));
    await handlerOf('accounting-events')(new AccountingStream().paymentBooked(payment, 10_000n, 320n, t0));
    const positions = await subgraph.database.fork().find(InboxPosition, {}, { orderBy: { consumer: 'asc' } });
    expect(positions.map((p) => [p.consumer, p.aggregateId, p.lastSequence])).toEqual([
      ['transaction:accounting', 'pay_1', 1],
      ['transaction:payment', 'pay_1', 1],
    ]);
    const result = await query({ role: 'MERCHANT', merchantId: 'mer_1', keyId: 'k' }, '{ transactions { edges { node { type amount { amount } } } } }');
    expect(result.data.transactions.edges.map((e: any) => [e.node.type, e.node.amount.amount]).sort()).toEqual([
      ['PAYMENT', '100.00'],
      ['REFUND', '5.00'],
    ]);
  });

  it('refuses requests without the gateway signature', async () => {
    const response = await fetch(`${subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ transactions { edges { node { id } } } }' }),
    });
    expect(response.status).toBe(401);
  });
});

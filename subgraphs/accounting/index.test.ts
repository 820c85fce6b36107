import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedJsonHeaders } from '../../lib/internal-signature.js';
import { encodePrincipal, type Principal } from '../../lib/principal.js';
import { loadAccountingConfig } from './config.js';
import { startAccountingSubgraph, type AccountingSubgraph } from './index.js';
import { DAY, PaymentEvents, type TestPayment } from './test-kit.js';
import { TestClock } from '../../test/support/clock.js';
import { capturingTransport } from '../../test/support/capturing-transport.js';

const secret = 'accounting-test-internal-secret-0123456789';
const t0 = new Date('2026-11-22T10:00:00.000Z');
const admin: Principal = { role: 'ADMIN', merchantId: null, keyId: null };
const merchant = (merchantId: string): Principal => ({ role: 'MERCHANT', merchantId, keyId: `key_${merchantId}` });

let accounting: AccountingSubgraph;
let dataDir: string;
const queries: string[] = [];
/** the SELECT statements logged since `queries` was last emptied, but the outbox relay's */
const selects = () => queries.filter((line) => line.includes('select ') && !line.includes('outbox'));
const clock = new TestClock(t0);
const { transport, subscriptions, published } = capturingTransport();
const events = new PaymentEvents();
const payments: TestPayment[] = Array.from({ length: 10 }, (_, i) => ({ paymentId: `pay_${i}`, merchantId: i < 8 ? 'mer_a' : 'mer_b', amount: 10_000n }));

async function query(principal: Principal, text: string, variables: Record<string, unknown> = {}) {
  const body = JSON.stringify({ query: text, variables });
  const encoded = encodePrincipal(principal);
  const response = await fetch(`${accounting.url}/graphql`, {
    method: 'POST',
    headers: signedJsonHeaders(secret, { method: 'POST', service: 'accounting', path: '/graphql', principal: encoded, body }),
    body,
  });
  return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
}

const paymentFields = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Payment { id fee { amount currency } net { amount minorUnits } ledgerEntries { journalId account side amount { amount } postedAt } } } }`;
const balanceFields = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Merchant { id balance { available { amount currency } pending { amount currency } } } } }`;
const refs = (typename: string, ids: string[]) => ({ representations: ids.map((id) => ({ __typename: typename, id })) });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paygraph-accounting-wiring-'));
  const config = loadAccountingConfig({ NODE_ENV: 'test', ACCOUNTING_PORT: '0', DATA_DIR: dataDir, INTERNAL_SECRET: secret, SETTLEMENT_INTERVAL: '1h' });
  accounting = await startAccountingSubgraph(config, { transport, consumerName: 'test-consumer', clock, onQuery: (sql) => void queries.push(sql) });
  const deliver = subscriptions[0]!.handler;
  for (const payment of payments) await deliver(events.captured(payment, t0));
  await deliver(events.refund(payments[0]!, 'refund.succeeded', 're_1', 2_500n, t0));
});
afterAll(async () => {
  await accounting.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the accounting subgraph', () => {
  it('subscribes to the payment events in the accounting group under its consumer name', () => {
    expect(subscriptions).toMatchObject([{ stream: 'payment-events', group: 'accounting', consumer: 'test-consumer' }]);
  });

  it('resolves a page of payments with ONE statement for figures and ONE for entries', async () => {
    queries.length = 0;
    const result = await query(merchant('mer_a'), paymentFields, refs('Payment', payments.map((p) => p.paymentId)));
    expect(result.errors).toBeUndefined();
    expect(selects()).toHaveLength(2);
    const [first, second] = result.data._entities;
    expect(first).toMatchObject({ id: 'pay_0', fee: { amount: '3.20', currency: 'USD' }, net: { amount: '96.80', minorUnits: '9680' } });
    expect(first.ledgerEntries.map((e: any) => [e.side, e.account, e.amount.amount])).toEqual([
      ['DEBIT', 'provider:CARD:clearing', '100.00'],
      ['CREDIT', 'merchant:mer_a:pending', '96.80'],
      ['CREDIT', 'platform:fees', '3.20'],
      ['DEBIT', 'merchant:mer_a:pending', '25.00'],
      ['CREDIT', 'provider:CARD:clearing', '25.00'],
    ]);
    expect(second.ledgerEntries).toHaveLength(3);
  });

  it("shows nothing of another merchant's payment, nor of one never captured", async () => {
    const result = await query(merchant('mer_a'), paymentFields, refs('Payment', ['pay_9', 'pay_unknown']));
    expect(result.data._entities).toEqual([
      { id: 'pay_9', fee: null, net: null, ledgerEntries: [] },
      { id: 'pay_unknown', fee: null, net: null, ledgerEntries: [] },
    ]);
  });

  it("answers a merchant's balance, batched, and null for another merchant", async () => {
    queries.length = 0;
    const own = await query(merchant('mer_a'), balanceFields, refs('Merchant', ['mer_a', 'mer_b']));
    expect(selects()).toHaveLength(1);
    expect(own.data._entities).toEqual([
      { id: 'mer_a', balance: { available: [], pending: [{ amount: '749.40', currency: 'USD' }] } },
      null,
    ]);
  });

  it('settles due payments when asked, at the clock time by default', async () => {
    expect(await accounting.settleDue(new Date(t0.getTime() + DAY - 1))).toBe(0);
    clock.set(new Date(t0.getTime() + DAY));
    expect(await accounting.settleDue()).toBe(10);
    const result = await query(admin, balanceFields, refs('Merchant', ['mer_a', 'mer_b']));
    expect(result.data._entities).toEqual([
      { id: 'mer_a', balance: { available: [{ amount: '749.40', currency: 'USD' }], pending: [{ amount: '0.00', currency: 'USD' }] } },
      { id: 'mer_b', balance: { available: [{ amount: '193.60', currency: 'USD' }], pending: [{ amount: '0.00', currency: 'USD' }] } },
    ]);
  });

  it('books a redelivered event once, and announces it once', async () => {
    const refund = events.refund(payments[1]!, 'refund.succeeded', 're_2', 100n, t0);
    expect(await accounting.handleEvent(refund)).toBe('applied');
    expect(await accounting.handleEvent(refund)).toBe('duplicate');
    await accounting.flushOutbox();
    expect(published.filter(({ event }) => event.payload['refundId'] === 're_2')).toHaveLength(1);
  });

  it('publishes an accounting event per booked journal on accounting-events, in its transaction', async () => {
    await accounting.flushOutbox();
    expect(new Set(published.map(({ stream }) => stream))).toEqual(new Set(['accounting-events']));
    const ofPayment = published.map(({ event }) => event).filter((event) => event.aggregateId === 'pay_0');
    expect(ofPayment.map((event) => [event.source, event.type, event.aggregateType, event.sequence])).toEqual([
      ['accounting', 'accounting.payment_booked', 'payment', 1],
      ['accounting', 'accounting.refund_booked', 'payment', 2],
    ]);
    const [booked, refunded] = ofPayment;
    expect(booked!.payload).toMatchObject({
      paymentId: 'pay_0',
      merchantId: 'mer_a',
      channel: 'CARD',
      currency: 'USD',
      amount: '10000',
      fee: '320',
      net: '9680',
      capturedAt: t0.toISOString(),
      bookedAt: booked!.occurredAt,
    });
    expect(refunded!.payload).toMatchObject({ paymentId: 'pay_0', refundId: 're_1', merchantId: 'mer_a', channel: 'CARD', amount: '2500', fee: '0', net: '2500' });
    expect(booked!.payload['journalId']).toMatch(/^jrn_/);
    // settlement journals are accounting's own business: no event
    expect(published.filter(({ event }) => event.type !== 'accounting.payment_booked' && event.type !== 'accounting.refund_booked')).toEqual([]);
    expect(published.filter(({ event }) => event.type === 'accounting.payment_booked')).toHaveLength(10);
  });

  it('verifies the ledger for ADMIN only', async () => {
    const verification = '{ verifyLedger { ok entriesChecked firstInvalidEntryId headHash } }';
    const ok = await query(admin, verification);
    expect(ok.data.verifyLedger).toMatchObject({ ok: true, entriesChecked: 30 + 2 + 20 + 2, firstInvalidEntryId: null });
    expect(ok.data.verifyLedger.headHash).toMatch(/^[0-9a-f]{64}$/);
    const refused = await query(merchant('mer_a'), verification);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses requests without the gateway signature', async () => {
    const response = await fetch(`${accounting.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ verifyLedger { ok } }' }),
    });
    expect(response.status).toBe(401);
  });
});

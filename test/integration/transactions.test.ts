import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../lib/events/event.js';
import { PRINCIPAL_HEADER, signedJsonHeaders } from '../../lib/internal-signature.js';
import { encodePrincipal, type Principal } from '../../lib/principal.js';
import { startSystem, type System } from '../support/system.js';
import { capture, confirm, createPayment, errorCode, getPayment, issueApiKey, payerAction, refund, TEST_CARDS } from '../support/payments.js';
import { alipayPaymentAwaitingPayer } from '../support/alipay.js';
import { allTransactions, LIST_TRANSACTIONS, recorded, transactionsPage } from '../support/transactions.js';
import { expectNoErrors } from '../support/graphql.js';
import type { TransactionsPageResult } from '../support/operations.js';

let system: System;
let merchant: { merchantId: string; apiKey: string };
let other: { merchantId: string; apiKey: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  system = await startSystem();
  merchant = await system.seedMerchant('Records');
  other = await system.seedMerchant('Other records');
  const key = merchant.apiKey;
  // captured 100.00 USD, then refunded in two parts
  ids['card'] = (await createPayment(system, key, { amount: '100.00' })).id;
  await confirm(system, key, ids['card']);
  ids['refund1'] = expectNoErrors(await refund(system, key, ids['card'], { amount: '25.00', currency: 'USD' })).refundPayment.id;
  ids['refund2'] = expectNoErrors(await refund(system, key, ids['card'], { amount: '10.00', currency: 'USD' })).refundPayment.id;
  // captured 50.00 USD on a card whose issuer refuses refunds: the refund fails
  ids['noRefunds'] = (await createPayment(system, key, { amount: '50.00' })).id;
  await confirm(system, key, ids['noRefunds'], TEST_CARDS.refundsDeclined);
  const failed = await refund(system, key, ids['noRefunds'], { amount: '20.00', currency: 'USD' });
  expect(expectNoErrors(failed).refundPayment.status).toBe('FAILED');
  ids['failedRefund'] = expectNoErrors(failed).refundPayment.id;
  // declined: no money moved, no record
  ids['declined'] = (await createPayment(system, key, { amount: '7.00' })).id;
  await confirm(system, key, ids['declined'], TEST_CARDS.declined);
  // manual, partially captured
  ids['manual'] = (await createPayment(system, key, { amount: '80.00', captureMethod: 'MANUAL' })).id;
  await confirm(system, key, ids['manual']);
  await capture(system, key, ids['manual'], { amount: '30.50', currency: 'USD' });
  // another currency
  ids['euro'] = (await createPayment(system, key, { amount: '10.00', currency: 'EUR' })).id;
  await confirm(system, key, ids['euro']);
  // a wallet: paid by the payer in Alipay, refunded in part
  ids['alipay'] = (await alipayPaymentAwaitingPayer(system, key, '200.00')).id;
  await payerAction(system, key, ids['alipay'], 'APPROVE');
  ids['alipayRefund'] = expectNoErrors(await refund(system, key, ids['alipay'], { amount: '50.00', currency: 'CNY' })).refundPayment.id;
  // the other merchant's
  ids['others'] = (await createPayment(system, other.apiKey, { amount: '100.00' })).id;
  await confirm(system, other.apiKey, ids['others']);
  await recorded(system);
});
afterAll(async () => system?.stop());

const figures = (node: any) => [
  node.type,
  node.direction,
  node.status,
  node.payment.id,
  node.refund?.id ?? null,
  node.channel,
  node.amount.amount,
  node.fee.amount,
  node.net.amount,
  node.amount.currency,
];

/** A signed request straight to the transaction subgraph, as the gateway sends it. */
async function direct(principal: Principal, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const body = JSON.stringify({ query, variables });
  const encoded = encodePrincipal(principal);
  const response = await fetch(`${system.transaction.url}/graphql`, {
    method: 'POST',
    headers: signedJsonHeaders(system.internalSecret, { method: 'POST', service: 'transaction', path: '/graphql', principal: encoded, body }),
    body,
  });
  return response.json();
}

describe('a record per money movement, with accounting’s figures', () => {
  it('payments, partial refunds, a failed refund: direction, status, amount, fee and net', async () => {
    const records = await allTransactions(system, merchant.apiKey);
    expect(records.map(figures).sort()).toEqual(
      [
        ['PAYMENT', 'INCOME', 'SUCCEEDED', ids['card'], null, 'CARD', '100.00', '3.20', '96.80', 'USD'],
        ['REFUND', 'EXPENSE', 'SUCCEEDED', ids['card'], ids['refund1'], 'CARD', '25.00', '0.00', '25.00', 'USD'],
        ['REFUND', 'EXPENSE', 'SUCCEEDED', ids['card'], ids['refund2'], 'CARD', '10.00', '0.00', '10.00', 'USD'],
        // 2.9% of 50.00 + 0.30
        ['PAYMENT', 'INCOME', 'SUCCEEDED', ids['noRefunds'], null, 'CARD', '50.00', '1.75', '48.25', 'USD'],
        ['REFUND', 'EXPENSE', 'FAILED', ids['noRefunds'], ids['failedRefund'], 'CARD', '20.00', '0.00', '20.00', 'USD'],
        // what was captured, not what was authorized: 2.9% of 30.50 rounded half up + 0.30
        ['PAYMENT', 'INCOME', 'SUCCEEDED', ids['manual'], null, 'CARD', '30.50', '1.18', '29.32', 'USD'],
        // 2.9% of 10.00 + 0.25 EUR
        ['PAYMENT', 'INCOME', 'SUCCEEDED', ids['euro'], null, 'CARD', '10.00', '0.54', '9.46', 'EUR'],
        // 2.5% for Alipay
        ['PAYMENT', 'INCOME', 'SUCCEEDED', ids['alipay'], null, 'ALIPAY', '200.00', '5.00', '195.00', 'CNY'],
        ['REFUND', 'EXPENSE', 'SUCCEEDED', ids['alipay'], ids['alipayRefund'], 'ALIPAY', '50.00', '0.00', '50.00', 'CNY'],
      ].sort(),
    );
    expect(records.find((r) => r.type === 'PAYMENT' && r.payment.id === ids['card']).amount.minorUnits).toBe('10000');
  });

  it('fee and net equal the payment’s own from accounting', async () => {
    const payment = expectNoErrors(await system.query<{ payment: { fee: { amount: string }; net: { amount: string } } }>(merchant.apiKey, 'query($id: ID!) { payment(id: $id) { fee { amount } net { amount } } }', { id: ids['card'] })).payment;
    const [record] = await allTransactions(system, merchant.apiKey, { paymentId: ids['card'], type: ['PAYMENT'] });
    expect([record.fee.amount, record.net.amount]).toEqual([payment.fee.amount, payment.net.amount]);
  });

  it('trade numbers are unique and read PG + the UTC day of the movement + a 12-digit sequence', async () => {
    const records = [...(await allTransactions(system, merchant.apiKey)), ...(await allTransactions(system, other.apiKey))];
    expect(new Set(records.map((r) => r.tradeNo)).size).toBe(records.length);
    for (const record of records) {
      expect(record.tradeNo).toMatch(/^PG\d{8}\d{12}$/);
      expect(record.tradeNo.slice(2, 10)).toBe(record.occurredAt.slice(0, 10).replaceAll('-', ''));
    }
  });

  it('a refund is placed at its creation, a payment at its capture; newest first by (occurredAt, id)', async () => {
    const records = await allTransactions(system, merchant.apiKey);
    const payment = await getPayment(system, merchant.apiKey, ids['card']!);
    const refunds = expectNoErrors(await system.query<{ payment: { refunds: { id: string; createdAt: string }[] } }>(merchant.apiKey, 'query($id: ID!) { payment(id: $id) { refunds { id createdAt } } }', { id: ids['card'] })).payment.refunds;
    for (const { id, createdAt } of refunds) expect(records.find((r) => r.refund?.id === id).occurredAt).toBe(createdAt);
    const captured = records.find((r) => r.type === 'PAYMENT' && r.payment.id === ids['card']);
    expect(Date.parse(captured.occurredAt)).toBeGreaterThanOrEqual(Date.parse(payment.createdAt));
    expect(Date.parse(captured.occurredAt)).toBeLessThanOrEqual(Date.parse(refunds[0]?.createdAt ?? ''));
    const order = records.map((r) => `${r.occurredAt} ${r.id}`);
    expect(order).toEqual([...order].sort().reverse());
  });
});

describe('Payment.transactions and references through the gateway', () => {
  it('a payment’s records, oldest first, with the payment and refund resolved by the payment subgraph', async () => {
    const result = await system.query<{ payment: { transactions: unknown[] } | null }>(
      merchant.apiKey,
      `query($id: ID!) { payment(id: $id) { id transactions { type amount { amount } payment { id status amountRefunded { amount } } refund { id status amount { amount } } } } }`,
      { id: ids['card'] },
    );
    expect(result.errors).toBeUndefined();
    expect(expectNoErrors(result).payment?.transactions).toEqual([
      { type: 'PAYMENT', amount: { amount: '100.00' }, payment: { id: ids['card'], status: 'SUCCEEDED', amountRefunded: { amount: '35.00' } }, refund: null },
      { type: 'REFUND', amount: { amount: '25.00' }, payment: expect.objectContaining({ id: ids['card'] }), refund: { id: ids['refund1'], status: 'SUCCEEDED', amount: { amount: '25.00' } } },
      { type: 'REFUND', amount: { amount: '10.00' }, payment: expect.objectContaining({ id: ids['card'] }), refund: { id: ids['refund2'], status: 'SUCCEEDED', amount: { amount: '10.00' } } },
    ]);
    const declined = await system.query<{ payment: { transactions: { id: string }[] } | null }>(merchant.apiKey, 'query($id: ID!) { payment(id: $id) { transactions { id } } }', { id: ids['declined'] });
    expect(expectNoErrors(declined).payment?.transactions).toEqual([]);
  });

  it('a page of payments costs the transaction subgraph one statement, whatever its size', async () => {
    const page = 'query($first: Int!) { payments(first: $first) { edges { node { id transactions { id amount { amount } } } } } }';
    const statements = async (first: number) => {
      const before = system.transactionQueries.length;
      const result = await system.query<{ payments: { edges: { node: { id: string; transactions: unknown[] } }[] } }>(merchant.apiKey, page, { first });
      expect(result.errors).toBeUndefined();
      return { result, selects: system.transactionQueries.slice(before).filter((sql) => /select/i.test(sql)) };
    };
    const small = await statements(1);
    const large = await statements(6);
    const { edges } = expectNoErrors(large.result).payments;
    expect(edges).toHaveLength(6);
    expect(edges.flatMap((edge) => edge.node.transactions)).toHaveLength(9);
    expect(small.selects).toHaveLength(1);
    expect(large.selects).toHaveLength(1);
  });

  it('a history page costs the transaction subgraph one statement, whatever its size and filter', async () => {
    const statements = async (variables: Record<string, unknown>) => {
      const before = system.transactionQueries.length;
      const page = await transactionsPage(system, merchant.apiKey, variables);
      return { page, statements: system.transactionQueries.slice(before) };
    };
    const small = await statements({ first: 1 });
    const large = await statements({ first: 100 });
    const next = await statements({ first: 2, after: small.page.pageInfo.endCursor });
    const filtered = await statements({ first: 100, filter: { type: ['REFUND'], status: ['SUCCEEDED'] } });
    expect(small.page.edges).toHaveLength(1);
    expect(large.page.edges.length).toBeGreaterThan(5);
    expect(next.page.edges).toHaveLength(2);
    expect(filtered.page.edges.length).toBeGreaterThanOrEqual(2);
    expect(filtered.page.edges.every(({ node }) => node.type === 'REFUND' && node.status === 'SUCCEEDED')).toBe(true);
    for (const { statements: list } of [small, large, next, filtered]) expect(list.filter((sql) => /select/i.test(sql))).toHaveLength(1);
  });
});

describe('filters', () => {
  let all: any[];
  beforeAll(async () => {
    all = await allTransactions(system, merchant.apiKey);
  });
  const idsOf = (records: any[]) => records.map((r) => r.id);

  it.each([
    ['type', { type: ['REFUND'] }, (r: any) => r.type === 'REFUND'],
    ['direction', { direction: ['INCOME'] }, (r: any) => r.direction === 'INCOME'],
    ['status', { status: ['FAILED', 'PENDING'] }, (r: any) => r.status === 'FAILED'],
    ['channel', { channel: ['ALIPAY'] }, (r: any) => r.channel === 'ALIPAY'],
    ['channels', { channel: ['CARD', 'WECHAT_PAY'] }, (r: any) => r.channel === 'CARD'],
    ['channel, none matching', { channel: ['WECHAT_PAY'] }, () => false],
    ['paymentId', { paymentId: 'PAYMENT_CARD' }, (r: any) => r.payment.id === ids['card']],
    ['several at once', { type: ['REFUND'], status: ['SUCCEEDED'], paymentId: 'PAYMENT_CARD' }, (r: any) => r.type === 'REFUND' && r.status === 'SUCCEEDED'],
    ['an empty list filters nothing', { type: [] }, () => true],
  ])('%s', async (_name, filter, keep) => {
    const given = { ...filter, ...('paymentId' in filter ? { paymentId: ids['card'] } : {}) };
    const expected = all.filter(keep as (r: any) => boolean).filter((r) => !('paymentId' in filter) || r.payment.id === ids['card']);
    expect(idsOf(await allTransactions(system, merchant.apiKey, given, 2))).toEqual(idsOf(expected));
  });

  it('occurredAfter and occurredBefore are exclusive bounds', async () => {
    const at = (index: number) => all[index].occurredAt;
    const between = await allTransactions(system, merchant.apiKey, { occurredAfter: at(5), occurredBefore: at(1) });
    expect(idsOf(between)).toEqual(idsOf(all.filter((r) => r.occurredAt > at(5) && r.occurredAt < at(1))));
    expect(between.length).toBeGreaterThan(0);
  });
});

describe('authorization', () => {
  it('a merchant sees only its own records, and nothing of another’s payment', async () => {
    const others = await allTransactions(system, other.apiKey);
    expect(others.map((r) => r.payment.id)).toEqual([ids['others']]);
    expect(await allTransactions(system, other.apiKey, { paymentId: ids['card'] })).toEqual([]);
    const foreign = await system.query<{ payment: { transactions: { id: string }[] } | null }>(other.apiKey, 'query($id: ID!) { payment(id: $id) { transactions { id } } }', { id: ids['card'] });
    expect(foreign.data?.payment).toBeNull();
  });

  it('an ANALYST key bound to a merchant sees that merchant’s; ADMIN and a platform-wide ANALYST see every merchant’s', async () => {
    const bound = await issueApiKey(system, 'ANALYST', merchant.merchantId);
    const platform = await issueApiKey(system, 'ANALYST', null);
    const own = new Set((await allTransactions(system, merchant.apiKey)).map((r) => r.id));
    expect(new Set((await allTransactions(system, bound)).map((r) => r.id))).toEqual(own);
    for (const key of [platform, system.adminKey]) {
      const seen = new Set((await allTransactions(system, key)).map((r) => r.payment.id));
      expect(seen.has(ids['card']!) && seen.has(ids['others']!)).toBe(true);
    }
  });

  it('directly on the subgraph: another merchant’s records are invisible, and unsigned requests are refused', async () => {
    const [record] = await allTransactions(system, merchant.apiKey, { paymentId: ids['card'], type: ['PAYMENT'] });
    const outsider: Principal = { role: 'MERCHANT', merchantId: other.merchantId, keyId: 'key_other' };
    const entities = await direct(
      outsider,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Transaction { id tradeNo } ... on Payment { id transactions { id } } } }',
      { r: [{ __typename: 'Transaction', id: record.id }, { __typename: 'Payment', id: ids['card'] }] },
    );
    expect(entities.data._entities).toEqual([null, { id: ids['card'], transactions: [] }]);
    const listed = await direct(outsider, '{ transactions(first: 100) { edges { node { payment { id } } } } }');
    expect(listed.data.transactions.edges.map((edge: any) => edge.node.payment.id)).toEqual([ids['others']]);
    const unsigned = await fetch(`${system.transaction.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: encodePrincipal({ role: 'ADMIN', merchantId: null, keyId: null }) },
      body: JSON.stringify({ query: '{ transactions { edges { node { id } } } }' }),
    });
    expect(unsigned.status).toBe(401);
  });

  it('without a key: UNAUTHENTICATED', async () => {
    expect(errorCode(await system.query(null, LIST_TRANSACTIONS, {}))).toBe('UNAUTHENTICATED');
  });
});

describe('the two streams race', () => {
  it('a refund’s booking and its creation, applied at the same time, always meet: the record has the booked figures', async () => {
    const envelope = (source: string, type: string, paymentId: string, payload: Record<string, unknown>): EventEnvelope => ({
      id: `${source}:race-${type}-${paymentId}`,
      source,
      position: 1,
      type,
      aggregateType: 'payment',
      aggregateId: paymentId,
      sequence: 1,
      occurredAt: new Date().toISOString(),
      payload,
    });
    const races = Array.from({ length: 20 }, (_, i) => {
      const ref = { paymentId: `pay_race_${i}`, refundId: `re_race_${i}`, merchantId: merchant.merchantId, channel: 'CARD', currency: 'USD', amount: '1000' };
      // fees are not returned today; a booking with a fee shows whose figures the record took
      const booked = envelope('accounting', 'accounting.refund_booked', ref.paymentId, { ...ref, fee: '30', net: '970', journalId: `jrn_${i}`, bookedAt: new Date().toISOString() });
      const created = envelope('payment', 'refund.created', ref.paymentId, { ...ref, status: 'PENDING', createdAt: new Date().toISOString() });
      return Promise.all([system.transaction.handleEvent(booked), system.transaction.handleEvent(created)]);
    });
    expect((await Promise.all(races)).flat()).toEqual(Array(40).fill('applied'));
    const records = (await allTransactions(system, merchant.apiKey, { type: ['REFUND'] })).filter((r) => r.payment.id.startsWith('pay_race_'));
    expect(records).toHaveLength(20);
    for (const record of records) expect([record.amount.amount, record.fee.amount, record.net.amount]).toEqual(['10.00', '0.30', '9.70']);
  });
});

describe('health', () => {
  it('GET /health on the gateway includes the transaction subgraph', async () => {
    const response = await fetch(`${system.gatewayUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', subgraphs: { payment: 'ok', accounting: 'ok', transaction: 'ok' } });
  });
});

describe('bad input', () => {
  it.each([
    ['first above 100', { first: 101 }],
    ['a negative first', { first: -1 }],
    ['a cursor this API did not give', { after: 'not-a-cursor' }],
    ['occurredBefore before occurredAfter', { filter: { occurredAfter: '2026-11-22T10:00:00.000Z', occurredBefore: '2026-11-22T09:00:00.000Z' } }],
    ['an empty range', { filter: { occurredAfter: '2026-11-22T10:00:00.000Z', occurredBefore: '2026-11-22T10:00:00.000Z' } }],
    ['a timestamp without a zone', { filter: { occurredAfter: '2026-11-22T10:00:00' } }],
    ['an unknown type', { filter: { type: ['CHARGEBACK'] } }],
  ])('%s is BAD_USER_INPUT', async (_name, variables) => {
    const result = await system.query<TransactionsPageResult>(merchant.apiKey, LIST_TRANSACTIONS, variables);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.data?.transactions ?? null).toBeNull();
  });

  it('first: 100 is allowed, first: 0 answers no edges', async () => {
    expect((await system.query(merchant.apiKey, LIST_TRANSACTIONS, { first: 100 })).errors).toBeUndefined();
    expect(expectNoErrors(await system.query<TransactionsPageResult>(merchant.apiKey, LIST_TRANSACTIONS, { first: 0 })).transactions.edges).toEqual([]);
  });
});

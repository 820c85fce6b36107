import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_HEADER, signedHeaders } from '../../lib/internal-signature.js';
import { encodePrincipal } from '../../lib/principal.js';
import { startSystem, type System } from '../support/system.js';
import { confirm, createPayment, issueApiKey, refund, TEST_CARDS } from '../support/payments.js';
import { allTransactions, parseCsv, recorded, statement } from '../support/transactions.js';

const COLUMNS = ['trade_no', 'occurred_at', 'type', 'direction', 'status', 'channel', 'currency', 'amount', 'fee', 'net', 'transaction_id', 'payment_id', 'refund_id'];

let system: System;
let merchant: { merchantId: string; apiKey: string };
let other: { merchantId: string; apiKey: string };
/** the merchant's records, newest first, as the query gives them */
let records: any[];

beforeAll(async () => {
  // three rows per read: every statement below takes several reads
  system = await startSystem({ statementBatchSize: 3 });
  merchant = await system.seedMerchant('Statement');
  other = await system.seedMerchant('Other statement');
  const key = merchant.apiKey;
  for (const [amount, currency] of [['100.00', 'USD'], ['12.34', 'EUR'], ['1000', 'JPY'], ['40.00', 'USD']] as const) {
    const payment = await createPayment(system, key, { amount, currency });
    await confirm(system, key, payment.id);
  }
  const refunded = await createPayment(system, key, { amount: '60.00' });
  await confirm(system, key, refunded.id);
  await refund(system, key, refunded.id, { amount: '15.00', currency: 'USD' });
  await refund(system, key, refunded.id, { amount: '5.00', currency: 'USD' });
  const refusing = await createPayment(system, key, { amount: '30.00' });
  await confirm(system, key, refusing.id, TEST_CARDS.refundsDeclined);
  await refund(system, key, refusing.id, { amount: '30.00', currency: 'USD' });
  const others = await createPayment(system, other.apiKey, { amount: '99.00' });
  await confirm(system, other.apiKey, others.id);
  await recorded(system);
  records = await allTransactions(system, key);
  expect(records).toHaveLength(9);
});
afterAll(async () => system?.stop());

/** A record as the query gives it, in the statement's columns. */
const asRow = (r: any) => [
  r.tradeNo,
  r.occurredAt,
  r.type,
  r.direction,
  r.status,
  r.channel,
  r.amount.currency,
  r.amount.amount,
  r.fee.amount,
  r.net.amount,
  r.id,
  r.payment.id,
  r.refund?.id ?? '',
];

async function csv(apiKey: string, params: Record<string, string>): Promise<string[][]> {
  const response = await statement(system, apiKey, params);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  return parseCsv(await response.text());
}

async function refusal(apiKey: string | null, params: Record<string, string>): Promise<[number, string | undefined]> {
  const response = await statement(system, apiKey, params);
  const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
  return [response.status, body.errors[0]?.extensions.code];
}

describe('statements: GET /statements/transactions.csv through the gateway', () => {
  it('a header row, then the records of [from, to) oldest first, equal to the query’s, amounts exact', async () => {
    const response = await statement(system, merchant.apiKey, { from: '2000-01-01', to: '2100-01-01' });
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="transactions-${merchant.merchantId}-2000-01-01-2100-01-01.csv"`);
    expect(response.headers.get('content-length')).toBeNull();
    const text = await response.text();
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(COLUMNS);
    expect(rows).toEqual([...records].reverse().map(asRow));
    const amounts = rows.map((row) => [row[6], row[7], row[8], row[9]]);
    expect(amounts).toContainEqual(['JPY', '1000', '29', '971']);
    expect(amounts).toContainEqual(['EUR', '12.34', '0.61', '11.73']);
    expect(rows.filter((row) => row[2] === 'REFUND').map((row) => [row[4], row[7], row[8], row[9]]).sort()).toEqual([
      ['FAILED', '30.00', '0.00', '30.00'],
      ['SUCCEEDED', '15.00', '0.00', '15.00'],
      ['SUCCEEDED', '5.00', '0.00', '5.00'],
    ]);
  });

  it('the range is half-open: from is included, to is not', async () => {
    const oldestFirst = [...records].reverse();
    const from = oldestFirst[2].occurredAt;
    const to = oldestFirst[7].occurredAt;
    const [, ...rows] = await csv(merchant.apiKey, { from, to });
    const expected = oldestFirst.filter((r) => r.occurredAt >= from && r.occurredAt < to);
    expect(rows).toEqual(expected.map(asRow));
    expect(rows[0]![0]).toBe(oldestFirst[2].tradeNo);
    expect(rows.map((row) => row[0])).not.toContain(oldestFirst[7].tradeNo);
    // the same records as the query over the same (exclusive) bounds, one millisecond wider at the start
    const queried = await allTransactions(system, merchant.apiKey, { occurredAfter: new Date(Date.parse(from) - 1).toISOString(), occurredBefore: to });
    expect(rows).toEqual([...queried].reverse().map(asRow));
  });

  it('a range with no records is the header alone', async () => {
    expect(await csv(merchant.apiKey, { from: '2000-01-01', to: '2000-01-02' })).toEqual([COLUMNS]);
  });

  it('a merchant’s key gets its own merchant’s; ADMIN and a platform ANALYST name the merchant; a bound ANALYST gets its merchant’s', async () => {
    const own = await csv(merchant.apiKey, { from: '2000-01-01', to: '2100-01-01' });
    const others = await csv(other.apiKey, { from: '2000-01-01', to: '2100-01-01' });
    expect(others).toHaveLength(2);
    expect(others[1]![11]).not.toBe(own[1]![11]);
    expect(await csv(system.adminKey, { from: '2000-01-01', to: '2100-01-01', merchantId: merchant.merchantId })).toEqual(own);
    const platform = await issueApiKey(system, 'ANALYST', null);
    expect(await csv(platform, { from: '2000-01-01', to: '2100-01-01', merchantId: other.merchantId })).toEqual(others);
    const bound = await issueApiKey(system, 'ANALYST', merchant.merchantId);
    expect(await csv(bound, { from: '2000-01-01', to: '2100-01-01' })).toEqual(own);
  });

  it('refuses what the key may not read, with the contract’s codes', async () => {
    const range = { from: '2000-01-01', to: '2100-01-01' };
    expect(await refusal(null, range)).toEqual([401, 'UNAUTHENTICATED']);
    expect(await refusal('pgk_not_a_key_at_all_0000000000000000000000', range)).toEqual([401, 'UNAUTHENTICATED']);
    expect(await refusal(other.apiKey, { ...range, merchantId: merchant.merchantId })).toEqual([403, 'FORBIDDEN']);
    expect(await refusal(system.adminKey, range)).toEqual([400, 'BAD_USER_INPUT']);
  });

  it.each([
    ['to before from', { from: '2026-11-02', to: '2026-11-01' }],
    ['to equal to from', { from: '2026-11-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }],
    ['no from', { to: '2026-11-01' }],
    ['no to', { from: '2026-11-01' }],
    ['a from that is not a time', { from: 'yesterday', to: '2026-11-01' }],
    ['a timestamp without a zone', { from: '2026-11-01T00:00:00', to: '2026-11-02' }],
  ])('%s is BAD_USER_INPUT (400)', async (_name, params) => {
    expect(await refusal(merchant.apiKey, params)).toEqual([400, 'BAD_USER_INPUT']);
  });

  it('straight to the subgraph: unsigned requests are refused, signed ones are authorized like the gateway’s', async () => {
    const url = `${system.transaction.url}/internal/statements/transactions.csv`;
    const body = JSON.stringify({ from: '2000-01-01', to: '2100-01-01', merchantId: merchant.merchantId });
    const outsider = encodePrincipal({ role: 'MERCHANT', merchantId: other.merchantId, keyId: 'key_other' });
    const unsigned = await fetch(url, { method: 'POST', headers: { [PRINCIPAL_HEADER]: outsider }, body });
    expect(unsigned.status).toBe(401);
    const target = { method: 'POST', service: 'transaction', path: '/internal/statements/transactions.csv', principal: outsider, body };
    const forged = await fetch(url, { method: 'POST', headers: signedHeaders('not-the-secret-0123456789abcdef0123', target), body });
    expect(forged.status).toBe(401);
    const signed = await fetch(url, { method: 'POST', headers: signedHeaders(system.internalSecret, target), body });
    expect(signed.status).toBe(403);
  });

  it('a client that leaves mid-statement does not disturb the next one', async () => {
    const controller = new AbortController();
    const response = await fetch(`${system.gatewayUrl}/statements/transactions.csv?from=2000-01-01&to=2100-01-01`, {
      headers: { authorization: `Bearer ${merchant.apiKey}` },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => undefined);
    const [, ...rows] = await csv(merchant.apiKey, { from: '2000-01-01', to: '2100-01-01' });
    expect(rows).toHaveLength(records.length);
  });
});

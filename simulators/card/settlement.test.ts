import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CardProviderClient, CardProviderError } from '../../subgraphs/payment/channels/card/client.js';
import { parseSettlementReport } from '../../subgraphs/payment/channels/card/statement.js';
import { startCardSimulator, type CardSimulator } from './server.js';

const apiKey = 'sk_test_card';
let simulator: CardSimulator;
let client: CardProviderClient;
const today = () => new Date().toISOString().slice(0, 10);
const card = { number: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 1, cvc: '123' };

async function captured(reference: string, amount: bigint, capture = true) {
  return client.authorize({ reference, amount, currency: 'EUR', capture, card, notifyUrl: 'http://127.0.0.1:9/' }, randomUUID());
}

async function statement(date = today()) {
  const report = await client.settlementReport(date);
  return parseSettlementReport(report.body, report.contentDigest, date);
}

async function corrupt(body: Record<string, string>) {
  const response = await fetch(`${simulator.url}/sandbox/settlement-corruptions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ date: today(), ...body }),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  simulator = await startCardSimulator({ port: 0, apiKey, webhookSecret: 'whsec_card' });
  client = new CardProviderClient({ baseUrl: simulator.url, apiKey });
  const auto = await captured('pay_a', 1000n);
  await client.refund({ authorization: auto.id, amount: 250n, reference: 'ref_a1' }, randomUUID());
  const manual = await captured('pay_b', 3000n, false);
  await client.capture(manual.id, 2000n);
  await captured('pay_never', 500n, false);
});
afterAll(async () => simulator.close());
afterEach(async () => {
  await fetch(`${simulator.url}/sandbox/settlement-corruptions`, { method: 'DELETE' });
});

describe('card simulator: daily settlement report', () => {
  it("lists the day's captures (what was captured) and refunds, not authorizations never captured", async () => {
    const lines = await statement();
    expect(lines.map(({ kind, paymentId, refundId, amount, status }) => ({ kind, paymentId, refundId, amount: amount.minor, status }))).toEqual([
      { kind: 'PAYMENT', paymentId: 'pay_a', refundId: null, amount: 1000n, status: 'SUCCEEDED' },
      { kind: 'REFUND', paymentId: 'pay_a', refundId: 'ref_a1', amount: 250n, status: 'SUCCEEDED' },
      { kind: 'PAYMENT', paymentId: 'pay_b', refundId: null, amount: 2000n, status: 'SUCCEEDED' },
    ]);
    expect(lines[0]?.providerReference).toMatch(/^auth_/);
    expect(lines[1]?.providerReference).toBe(lines[0]?.providerReference);
  });

  it('lists nothing on a day without activity, and refuses a day to come or a malformed date', async () => {
    expect(await statement('2020-01-01')).toEqual([]);
    await expect(client.settlementReport('2999-01-01')).rejects.toMatchObject({ status: 404 });
    await expect(client.settlementReport('2026-02-30')).rejects.toMatchObject({ status: 400, type: 'invalid_request' });
  });

  it('requires the API key', async () => {
    const stranger = new CardProviderClient({ baseUrl: simulator.url, apiKey: 'sk_wrong' });
    const error = await stranger.settlementReport(today()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CardProviderError);
    expect(error).toMatchObject({ status: 401, type: 'authentication_error' });
  });

  it('is made wrong on purpose by the sandbox controls, and stays self-consistent', async () => {
    await corrupt({ kind: 'DROP', reference: 'pay_b' });
    await corrupt({ kind: 'AMOUNT', reference: 'pay_a', refundReference: 'ref_a1' });
    await corrupt({ kind: 'STATUS', reference: 'pay_a' });
    await corrupt({ kind: 'DUPLICATE', reference: 'pay_a' });
    await corrupt({ kind: 'ADD' });
    const lines = await statement();
    expect(lines.map(({ kind, paymentId, amount, status }) => ({ kind, paymentId, amount: amount.minor, status }))).toEqual([
      { kind: 'PAYMENT', paymentId: 'pay_a', amount: 1000n, status: 'FAILED' },
      { kind: 'PAYMENT', paymentId: 'pay_a', amount: 1000n, status: 'FAILED' },
      { kind: 'REFUND', paymentId: 'pay_a', amount: 251n, status: 'SUCCEEDED' },
      { kind: 'PAYMENT', paymentId: expect.stringMatching(/^pay_unknown_/), amount: 100n, status: 'SUCCEEDED' },
    ]);
  });
});

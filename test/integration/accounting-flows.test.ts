import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { capture, cancel, confirm, createPayment, refund, TEST_CARDS } from '../support/payments.js';
import { balanceQuery, ledgerOf, settled } from '../support/accounting.js';
import { expectNoErrors } from '../support/graphql.js';
import type { BalanceResult } from '../support/operations.js';

let system: System;
let merchant: { merchantId: string; apiKey: string };

beforeAll(async () => {
  system = await startSystem();
  merchant = await system.seedMerchant('Ledger merchant');
});
afterAll(async () => system?.stop());

const entriesOf = (payment: any) =>
  payment.ledgerEntries.map((e: any) => [e.side, e.account.replace(merchant.merchantId, 'M'), e.amount.amount]).sort();

async function balance() {
  const [query, variables] = balanceQuery(merchant.merchantId);
  return expectNoErrors(await system.query<BalanceResult>(merchant.apiKey, query, variables)).merchant?.balance;
}

describe('accounting books every flow through the gateway', () => {
  it('automatic capture of 100.00 USD: clearing 100.00, merchant pending 96.80, fees 3.20; fee and net in the same query', async () => {
    const payment = await createPayment(system, merchant.apiKey, { amount: '100.00' });
    await confirm(system, merchant.apiKey, payment.id);
    await settled(system);
    const booked = await ledgerOf(system, merchant.apiKey, payment.id);
    expect(entriesOf(booked)).toEqual([
      ['CREDIT', 'merchant:M:pending', '96.80'],
      ['CREDIT', 'platform:fees', '3.20'],
      ['DEBIT', 'provider:CARD:clearing', '100.00'],
    ].sort());
    expect(booked.fee).toEqual({ amount: '3.20', currency: 'USD', minorUnits: '320' });
    expect(booked.net).toEqual({ amount: '96.80', currency: 'USD', minorUnits: '9680' });
    expect(new Set(booked.ledgerEntries.map((e: any) => e.journalId)).size).toBe(1);
  });

  it('manual partial capture books what was captured, with the fee on that amount', async () => {
    const payment = await createPayment(system, merchant.apiKey, { amount: '80.00', captureMethod: 'MANUAL' });
    await confirm(system, merchant.apiKey, payment.id);
    await settled(system);
    expect((await ledgerOf(system, merchant.apiKey, payment.id)).ledgerEntries).toEqual([]);
    await capture(system, merchant.apiKey, payment.id, { amount: '30.50', currency: 'USD' });
    await settled(system);
    const booked = await ledgerOf(system, merchant.apiKey, payment.id);
    // 2.9% of 30.50 = 0.8845, rounded half up to 0.88, plus 0.30
    expect(booked.fee?.amount).toBe('1.18');
    expect(booked.net?.amount).toBe('29.32');
    expect(entriesOf(booked)).toContainEqual(['DEBIT', 'provider:CARD:clearing', '30.50']);
  });

  it('cancellations and declines move no money: no entries, no fee', async () => {
    const canceled = await createPayment(system, merchant.apiKey, { captureMethod: 'MANUAL' });
    await confirm(system, merchant.apiKey, canceled.id);
    await cancel(system, merchant.apiKey, canceled.id);
    const declined = await createPayment(system, merchant.apiKey);
    await confirm(system, merchant.apiKey, declined.id, TEST_CARDS.declined);
    await settled(system);
    for (const id of [canceled.id, declined.id]) {
      expect(await ledgerOf(system, merchant.apiKey, id)).toMatchObject({ ledgerEntries: [], fee: null, net: null });
    }
  });

  it('refunds debit the merchant and credit clearing; the fee is not returned; settlement makes the rest available', async () => {
    const other = await system.seedMerchant('Balance merchant');
    const key = other.apiKey;
    const payment = await createPayment(system, key, { amount: '100.00' });
    await confirm(system, key, payment.id);
    await refund(system, key, payment.id, { amount: '25.00', currency: 'USD' });
    await settled(system);
    const booked = await ledgerOf(system, key, payment.id);
    expect(booked.fee?.amount).toBe('3.20');
    const refundEntries = booked.ledgerEntries.filter((e: any) => e.account === `merchant:${other.merchantId}:pending` && e.side === 'DEBIT');
    expect(refundEntries.map((e: any) => e.amount.amount)).toEqual(['25.00']);
    const [query, variables] = balanceQuery(other.merchantId);
    const before = expectNoErrors(await system.query<BalanceResult>(key, query, variables)).merchant?.balance;
    expect(before).toEqual({ pending: [{ amount: '71.80', currency: 'USD' }], available: [] });

    system.clock.advance(24 * 3_600_000 + 1000);
    expect(await system.accounting.settleDue()).toBeGreaterThanOrEqual(1);
    const after = expectNoErrors(await system.query<BalanceResult>(key, query, variables)).merchant?.balance;
    expect(after?.available).toEqual([{ amount: '71.80', currency: 'USD' }]);
    expect(after?.pending.every((m: any) => m.amount === '0.00')).toBe(true);

    await refund(system, key, payment.id, { amount: '10.00', currency: 'USD' });
    await settled(system);
    const final = expectNoErrors(await system.query<BalanceResult>(key, query, variables)).merchant?.balance;
    expect(final?.available).toEqual([{ amount: '61.80', currency: 'USD' }]);
  });

  it('one merchant does not see another merchant\'s ledger or balance', async () => {
    const payment = await createPayment(system, merchant.apiKey, { amount: '10.00' });
    await confirm(system, merchant.apiKey, payment.id);
    await settled(system);
    const stranger = await system.seedMerchant('Stranger');
    const result = await system.query<{ payment: { id: string } | null }>(stranger.apiKey, `query($id: ID!) { payment(id: $id) { id ledgerEntries { id } } }`, { id: payment.id });
    expect(result.data?.payment).toBeNull();
    const [query, variables] = balanceQuery(merchant.merchantId);
    expect((await system.query<BalanceResult>(stranger.apiKey, query, variables)).data?.merchant).toBeNull();
    expect(await balance()).toBeTruthy();
  });
});

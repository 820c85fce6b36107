import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { statementsRoute } from '../../subgraphs/payment/contract/internal-routes.js';
import { settled } from '../support/accounting.js';
import { capture, confirm, createPayment, errorCode, issueApiKey, refund, TEST_CARDS } from '../support/payments.js';
import {
  clearSettlementCorruptions,
  corruptSettlementReport,
  reconcile,
  reconciliationReport,
  runReconciliation,
  utcToday,
} from '../support/reconciliation.js';
import { startSystem, type System } from '../support/system.js';
import { expectNoErrors } from '../support/graphql.js';

let system: System;
let merchant: { merchantId: string; apiKey: string };
let day: string;
/** a 100.00 USD payment refunded 25.00, a 50.00 EUR partial capture of 80.00, a 10.00 USD payment */
let full: any, partial: any, small: any;
let refundId: string;

async function captured(amount: string, currency = 'USD'): Promise<any> {
  const payment = await createPayment(system, merchant.apiKey, { amount, currency });
  const result = await confirm(system, merchant.apiKey, payment.id);
  if (result.data?.confirmPayment.status !== 'SUCCEEDED') throw new Error(JSON.stringify(result));
  return result.data.confirmPayment;
}

beforeAll(async () => {
  system = await startSystem();
  merchant = await system.seedMerchant('Reconciled by card');
  day = utcToday();
  full = await captured('100.00');
  const refunded = await refund(system, merchant.apiKey, full.id, { amount: '25.00', currency: 'USD' });
  refundId = expectNoErrors(refunded).refundPayment.id;
  partial = await createPayment(system, merchant.apiKey, { amount: '80.00', currency: 'EUR', captureMethod: 'MANUAL' });
  await confirm(system, merchant.apiKey, partial.id);
  await capture(system, merchant.apiKey, partial.id, { amount: '50.00', currency: 'EUR' });
  small = await captured('10.00');
  // a decline and an authorization never captured: nothing settles, nothing is expected
  await confirm(system, merchant.apiKey, (await createPayment(system, merchant.apiKey)).id, TEST_CARDS.declined);
  await confirm(system, merchant.apiKey, (await createPayment(system, merchant.apiKey, { captureMethod: 'MANUAL' })).id);
  await settled(system);
});
afterAll(async () => system?.stop());
afterEach(async () => clearSettlementCorruptions(system));

const reportId = () => `rcn_card_${day.replace(/-/g, '')}`;

describe('card reconciliation against the settlement report', () => {
  it('finds nothing wrong on a clean day: three captures and a refund matched', async () => {
    const report = await reconcile(system, 'CARD', day);
    expect(report).toEqual({ id: reportId(), channel: 'CARD', date: day, matched: 4, discrepancies: [] });
    expect((await reconciliationReport(system, system.adminKey, report.id)).data?.reconciliationReport).toEqual(report);
  });

  it('gives the same report when run again: same id, same content', async () => {
    await corruptSettlementReport(system, day, 'ADD');
    await corruptSettlementReport(system, day, 'DROP', { reference: small.id });
    const first = await reconcile(system, 'CARD', day);
    const second = await reconcile(system, 'CARD', day);
    expect(second).toEqual(first);
    expect(first.discrepancies.map((d: any) => d.type)).toEqual(expect.arrayContaining(['MISSING_INTERNAL', 'MISSING_PROVIDER']));
    expect((await reconciliationReport(system, system.adminKey, reportId())).data?.reconciliationReport).toEqual(first);
  });

  it('a capture the acquirer did not list is MISSING_PROVIDER, with our amount expected', async () => {
    await corruptSettlementReport(system, day, 'DROP', { reference: small.id });
    const report = await reconcile(system, 'CARD', day);
    expect(report.matched).toBe(3);
    expect(report.discrepancies).toEqual([
      {
        type: 'MISSING_PROVIDER', paymentId: small.id, providerReference: expect.stringMatching(/^auth_/),
        expected: { amount: '10.00', currency: 'USD', minorUnits: '1000' }, actual: null,
        detail: expect.stringContaining(`Our payment ${small.id} (provider reference auth_`),
      },
    ]);
  });

  it('a capture nobody made is MISSING_INTERNAL, with its amount actual', async () => {
    await corruptSettlementReport(system, day, 'ADD');
    const report = await reconcile(system, 'CARD', day);
    expect(report.matched).toBe(4);
    expect(report.discrepancies).toEqual([
      {
        type: 'MISSING_INTERNAL', paymentId: expect.stringMatching(/^pay_unknown_/), providerReference: expect.stringMatching(/^auth_/),
        expected: null, actual: { amount: '1.00', currency: 'USD', minorUnits: '100' }, detail: expect.stringContaining('we have no record of it'),
      },
    ]);
  });

  it("a refund of another amount is AMOUNT_MISMATCH: ours expected, the acquirer's actual, one currency", async () => {
    await corruptSettlementReport(system, day, 'AMOUNT', { reference: full.id, refundReference: refundId });
    const report = await reconcile(system, 'CARD', day);
    expect(report.matched).toBe(3);
    expect(report.discrepancies).toEqual([
      {
        type: 'AMOUNT_MISMATCH', paymentId: full.id, providerReference: expect.stringMatching(/^auth_/),
        expected: { amount: '25.00', currency: 'USD', minorUnits: '2500' }, actual: { amount: '25.01', currency: 'USD', minorUnits: '2501' },
        detail: `CARD's statement of ${day} lists refund ${refundId} of payment ${full.id} (provider reference ${report.discrepancies[0]?.providerReference}) at 25.01 USD; our records say 25.00 USD.`,
      },
    ]);
  });

  it('a capture listed as failed is STATUS_MISMATCH', async () => {
    await corruptSettlementReport(system, day, 'STATUS', { reference: partial.id });
    const report = await reconcile(system, 'CARD', day);
    expect(report.matched).toBe(3);
    expect(report.discrepancies).toMatchObject([
      { type: 'STATUS_MISMATCH', paymentId: partial.id, expected: { amount: '50.00', currency: 'EUR' }, actual: { amount: '50.00', currency: 'EUR' } },
    ]);
    expect(report.discrepancies[0]?.detail).toContain('as FAILED; it is SUCCEEDED in our records');
  });

  it('a capture listed twice is one DUPLICATE, its first listing matched', async () => {
    await corruptSettlementReport(system, day, 'DUPLICATE', { reference: full.id });
    const report = await reconcile(system, 'CARD', day);
    expect(report.matched).toBe(4);
    expect(report.discrepancies).toMatchObject([{ type: 'DUPLICATE', paymentId: full.id, expected: null, actual: { amount: '100.00', currency: 'USD' } }]);
  });

  it('a day without activity reconciles to an empty report', async () => {
    expect(await reconcile(system, 'CARD', '2020-02-29')).toEqual({ id: 'rcn_card_20200229', channel: 'CARD', date: '2020-02-29', matched: 0, discrepancies: [] });
  });
});

describe('who may reconcile, and which days', () => {
  it('refuses every key but the ADMIN with FORBIDDEN; a platform-wide ANALYST may read reports', async () => {
    await reconcile(system, 'CARD', day);
    const analyst = await issueApiKey(system, 'ANALYST', null);
    const merchantAnalyst = await issueApiKey(system, 'ANALYST', merchant.merchantId);
    for (const key of [merchant.apiKey, analyst, merchantAnalyst]) {
      const result = await runReconciliation(system, key, 'CARD', day);
      expect(errorCode(result)).toBe('FORBIDDEN');
      expect(result.data).toBeNull();
    }
    for (const key of [merchant.apiKey, merchantAnalyst]) expect(errorCode(await reconciliationReport(system, key, reportId()))).toBe('FORBIDDEN');
    expect((await reconciliationReport(system, analyst, reportId())).data?.reconciliationReport?.id).toBe(reportId());
    expect(errorCode(await runReconciliation(system, null, 'CARD', day))).toBe('UNAUTHENTICATED');
  });

  it('an unknown report is null', async () => {
    expect((await reconciliationReport(system, system.adminKey, 'rcn_card_19990101')).data).toEqual({ reconciliationReport: null });
  });

  it.each(['2026-13-01', '2026-02-30', '22-11-2026', '2026-11-22T00:00:00Z', 'yesterday'])('refuses the date %j as BAD_USER_INPUT', async (date) => {
    const result = await runReconciliation(system, system.adminKey, 'CARD', date);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/^input\.date: /);
  });

  it('refuses a day that has not begun in UTC as BAD_USER_INPUT, and asks the acquirer nothing', async () => {
    const tomorrow = utcToday(new Date(Date.now() + 86_400_000));
    const result = await runReconciliation(system, system.adminKey, 'CARD', tomorrow);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toContain(`${tomorrow} has not begun yet for CARD`);
  });

  it('only signed requests reach the payment subgraph statements route', async () => {
    const response = await fetch(`${system.paymentUrl}${statementsRoute.path}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'CARD', date: day }),
    });
    expect(response.status).toBe(401);
  });

  it("answers the acquirer's refusal as INVALID_STATE naming the provider's error, and stores nothing", async () => {
    // accounting's clock a day ahead: for it tomorrow has begun, for the acquirer it has not
    system.clock.advance(86_400_000);
    const tomorrow = utcToday(system.clock.now());
    const result = await runReconciliation(system, system.adminKey, 'CARD', tomorrow);
    expect(errorCode(result)).toBe('INVALID_STATE');
    expect(result.errors?.[0]).toMatchObject({ extensions: { providerError: 'PROVIDER_REJECTED' } });
    expect(result.errors?.[0]?.message).toMatch(new RegExp(`^The CARD statement of ${tomorrow} could not be obtained: card provider`));
    expect((await reconciliationReport(system, system.adminKey, `rcn_card_${tomorrow.replace(/-/g, '')}`)).data?.reconciliationReport).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphName } from '../../system/subgraphs.js';
import { consumerCaughtUp, ledgerOfPayment, moneyOperations, verifyLedger } from '../support/crash-client.js';
import { startCrashSystem, type CrashSystem } from '../support/crash-harness.js';
import { expectBooksAgree } from '../support/crash-runs.js';
import { METRICS_QUERY } from '../support/analytics.js';
import { expectNoErrors } from '../support/graphql.js';
import type { MetricsResult, TransactionsPageResult } from '../support/operations.js';
import { uniqueKey } from '../support/payments.js';
import { LIST_TRANSACTIONS } from '../support/transactions.js';

let system: CrashSystem;

beforeAll(async () => {
  system = await startCrashSystem({ subgraphs: ['payment', 'accounting', 'transaction', 'analytics'] });
});
afterAll(async () => system?.stop());

const captured = { amount: '70.00', currency: 'USD' };
const refunded = { amount: '20.00', currency: 'USD' };

/** A payment's whole life through the API: created, confirmed and captured, partly refunded. */
async function paymentLife(apiKey: string): Promise<{ paymentId: string; refundId: string }> {
  const created = expectNoErrors(await moneyOperations.create(system, apiKey, { amount: captured, captureMethod: 'AUTOMATIC' })).createPayment;
  expect(expectNoErrors(await moneyOperations.confirm(system, apiKey, created.id, uniqueKey('confirm'))).confirmPayment.status).toBe('SUCCEEDED');
  const refund = expectNoErrors(await moneyOperations.refund(system, apiKey, created.id, refunded, uniqueKey('refund'))).refundPayment;
  expect(refund.status).toBe('SUCCEEDED');
  return { paymentId: created.id, refundId: refund.id };
}

/** Every downstream effect of the life exactly once: its journals, its records, its facts; the books agree with the acquirer. */
async function expectEachEffectOnce(apiKey: string, life: { paymentId: string; refundId: string }): Promise<void> {
  await Promise.all((['accounting', 'transaction', 'analytics'] as const).map((consumer) => consumerCaughtUp(system, consumer)));
  expect(await verifyLedger(system)).toMatchObject({ ok: true });
  const ledger = await ledgerOfPayment(system, apiKey, life.paymentId);
  expect(new Set(ledger.ledgerEntries.map((entry) => entry.journalId)).size).toBe(2);

  const records = expectNoErrors(await system.query<TransactionsPageResult>(apiKey, LIST_TRANSACTIONS, { first: 50 })).transactions.edges.map((edge) => edge.node);
  expect(records.map((record) => [record.type, record.payment?.id, record.refund?.id ?? null, record.amount.amount]).sort()).toEqual(
    [
      ['PAYMENT', life.paymentId, null, captured.amount],
      ['REFUND', life.paymentId, life.refundId, refunded.amount],
    ].sort(),
  );
  expect(records.find((record) => record.type === 'PAYMENT')?.fee.amount).not.toBe('0.00');

  const hour = 3_600_000;
  const metrics = expectNoErrors(
    await system.query<MetricsResult>(apiKey, METRICS_QUERY, {
      query: { measures: ['PAYMENT_COUNT', 'GMV', 'REFUNDED_AMOUNT'], from: new Date(Date.now() - hour).toISOString(), to: new Date(Date.now() + hour).toISOString() },
    }),
  ).metrics;
  expect(metrics.rows).toHaveLength(1);
  expect(Object.fromEntries(metrics.rows[0]!.values.map((value) => [value.measure, value.value]))).toEqual({ PAYMENT_COUNT: '1', GMV: captured.amount, REFUNDED_AMOUNT: refunded.amount });
  await expectBooksAgree(system);
}

describe('a relay or consumer that dies after its step, restarted', () => {
  it('relay.after-publish: the payment relay publishes every event of a life and dies before marking them; published again, each is applied once', async () => {
    const { apiKey } = await system.seedMerchant('Relay that crashes');
    const payment = system.subgraphs.payment!;
    // without a transport, the life's events wait in the outbox for the armed relay
    await payment.stop();
    await payment.start({ env: { REDIS_URL: undefined } });
    const life = await paymentLife(apiKey);
    await payment.stop();
    expect(await payment.startToDie('relay.after-publish')).toEqual({ code: null, signal: 'SIGKILL' });
    await payment.start();
    await expectEachEffectOnce(apiKey, life);
  }, 180_000);

  it.each(['accounting', 'transaction', 'analytics'] as const satisfies readonly SubgraphName[])(
    'consumer.%s.after-apply: the consumer applies an event and dies before acknowledging it; delivered again, it is applied once',
    async (name) => {
      const { apiKey } = await system.seedMerchant(`${name} consumer that crashes`);
      const consumer = system.subgraphs[name]!;
      await consumer.stop();
      const life = await paymentLife(apiKey);
      expect(await consumer.startToDie(`consumer.${name}.after-apply`)).toEqual({ code: null, signal: 'SIGKILL' });
      await consumer.start();
      await expectEachEffectOnce(apiKey, life);
    },
    180_000,
  );
});

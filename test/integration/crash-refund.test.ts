import { describe, expect, it } from 'vitest';
import { ledgerOfPayment, moneyOperations, paymentOf } from '../support/crash-client.js';
import { acquirerDid, crashSuite, crashThenRetry, expectBooksAgree, restart } from '../support/crash-runs.js';
import { expectNoErrors } from '../support/graphql.js';
import { uniqueKey } from '../support/payments.js';

const suite = crashSuite({ subgraphs: ['payment', 'accounting'] }, 'Refunds that crash');

describe('a partial refund whose payment process dies, retried with its key after a restart', () => {
  it.each(['payment.refund.after-intent', 'payment.refund.after-provider', 'payment.refund.before-outcome-commit'] as const)(
    '%s: the same refund id and SUCCEEDED answer, one refund paid by the acquirer, booked once',
    async (point) => {
      const { system, apiKey } = suite;
      const payment = system.subgraphs.payment!;
      await restart(payment, point);
      const amount = { amount: '100.00', currency: 'USD' };
      const refunded = { amount: '30.40', currency: 'USD' };
      const created = expectNoErrors(await moneyOperations.create(system, apiKey, { amount, captureMethod: 'AUTOMATIC' })).createPayment;
      expect(expectNoErrors(await moneyOperations.confirm(system, apiKey, created.id, uniqueKey('confirm'))).confirmPayment.status).toBe('SUCCEEDED');
      const key = uniqueKey('refund');
      const run = await crashThenRetry(payment, point, () => moneyOperations.refund(system, apiKey, created.id, refunded, key));
      expect(run.exit).toEqual({ code: null, signal: 'SIGKILL' });

      const refund = expectNoErrors(run.answer).refundPayment;
      expect(refund).toMatchObject({ status: 'SUCCEEDED', amount: refunded, payment: { id: created.id, amountRefunded: refunded } });
      expect(run.again).toEqual(run.answer);
      const after = await paymentOf(system, apiKey, created.id);
      expect(after).toMatchObject({ status: 'SUCCEEDED', amountReceived: amount, amountRefunded: refunded });
      expect(after.refunds).toEqual([{ id: refund.id, status: 'SUCCEEDED', amount: { amount: refunded.amount } }]);

      expect(await acquirerDid(system, created.id)).toEqual({ authorizations: ['captured'], captures: [10000n], voids: 0, refunds: [[refund.id, BigInt(refund.amount.minorUnits)]] });
      await expectBooksAgree(system);
      const ledger = await ledgerOfPayment(system, apiKey, created.id);
      expect(new Set(ledger.ledgerEntries.map((entry) => entry.journalId)).size).toBe(2);
    },
    180_000,
  );
});

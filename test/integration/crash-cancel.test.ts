import { describe, expect, it } from 'vitest';
import { ledgerOfPayment, moneyOperations, paymentOf } from '../support/crash-client.js';
import { acquirerDid, crashSuite, crashThenRetry, expectBooksAgree, restart } from '../support/crash-runs.js';
import { expectNoErrors } from '../support/graphql.js';
import { uniqueKey } from '../support/payments.js';

const suite = crashSuite({ subgraphs: ['payment', 'accounting'] }, 'Cancels that crash');

describe('a cancel of an authorization whose payment process dies, retried with its key after a restart', () => {
  it.each(['payment.cancel.after-intent', 'payment.cancel.after-provider', 'payment.cancel.before-outcome-commit'] as const)(
    '%s: the same CANCELED answer, one void at the acquirer, nothing booked',
    async (point) => {
      const { system, apiKey } = suite;
      const payment = system.subgraphs.payment!;
      await restart(payment, point);
      const amount = { amount: '64.00', currency: 'USD' };
      const created = expectNoErrors(await moneyOperations.create(system, apiKey, { amount, captureMethod: 'MANUAL' })).createPayment;
      expect(expectNoErrors(await moneyOperations.confirm(system, apiKey, created.id, uniqueKey('confirm'))).confirmPayment.status).toBe('REQUIRES_CAPTURE');
      const key = uniqueKey('cancel');
      const run = await crashThenRetry(payment, point, () => moneyOperations.cancel(system, apiKey, created.id, key));
      expect(run.exit).toEqual({ code: null, signal: 'SIGKILL' });

      expect(expectNoErrors(run.answer).cancelPayment).toMatchObject({ id: created.id, status: 'CANCELED', amountReceived: { amount: '0.00' }, amountCapturable: { amount: '0.00' } });
      expect(run.again).toEqual(run.answer);
      expect(await paymentOf(system, apiKey, created.id)).toMatchObject({ status: 'CANCELED' });

      expect(await acquirerDid(system, created.id)).toEqual({ authorizations: ['voided'], captures: [], voids: 1, refunds: [] });
      await expectBooksAgree(system);
      expect((await ledgerOfPayment(system, apiKey, created.id)).ledgerEntries).toEqual([]);
    },
    180_000,
  );
});

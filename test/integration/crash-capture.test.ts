import { describe, expect, it } from 'vitest';
import { ledgerOfPayment, moneyOperations, paymentOf } from '../support/crash-client.js';
import { acquirerDid, crashSuite, crashThenRetry, expectBooksAgree, restart } from '../support/crash-runs.js';
import { expectNoErrors } from '../support/graphql.js';
import { uniqueKey } from '../support/payments.js';

const suite = crashSuite({ subgraphs: ['payment', 'accounting'] }, 'Captures that crash');

describe('a partial capture whose payment process dies, retried with its key after a restart', () => {
  it.each(['payment.capture.after-intent', 'payment.capture.after-provider', 'payment.capture.before-outcome-commit'] as const)(
    '%s: the same SUCCEEDED answer, one capture of that amount at the acquirer, booked once',
    async (point) => {
      const { system, apiKey } = suite;
      const payment = system.subgraphs.payment!;
      await restart(payment, point);
      const authorized = { amount: '80.00', currency: 'EUR' };
      const captured = { amount: '50.25', currency: 'EUR' };
      const created = expectNoErrors(await moneyOperations.create(system, apiKey, { amount: authorized, captureMethod: 'MANUAL' })).createPayment;
      const confirmed = expectNoErrors(await moneyOperations.confirm(system, apiKey, created.id, uniqueKey('confirm'))).confirmPayment;
      expect(confirmed.status).toBe('REQUIRES_CAPTURE');
      const key = uniqueKey('capture');
      const run = await crashThenRetry(payment, point, () => moneyOperations.capture(system, apiKey, created.id, captured, key));
      expect(run.exit).toEqual({ code: null, signal: 'SIGKILL' });

      expect(expectNoErrors(run.answer).capturePayment).toMatchObject({ id: created.id, status: 'SUCCEEDED', amountReceived: captured, amountCapturable: { amount: '0.00' } });
      expect(run.again).toEqual(run.answer);
      expect(await paymentOf(system, apiKey, created.id)).toMatchObject({ status: 'SUCCEEDED', amountReceived: captured });

      expect(await acquirerDid(system, created.id)).toEqual({ authorizations: ['captured'], captures: [5025n], voids: 0, refunds: [] });
      await expectBooksAgree(system);
      const ledger = await ledgerOfPayment(system, apiKey, created.id);
      expect(new Set(ledger.ledgerEntries.map((entry) => entry.journalId)).size).toBe(1);
    },
    180_000,
  );
});

import { describe, expect, it } from 'vitest';
import { ledgerOfPayment, moneyOperations, paymentOf } from '../support/crash-client.js';
import { acquirerDid, crashSuite, crashThenRetry, expectBooksAgree, restart } from '../support/crash-runs.js';
import { expectNoErrors } from '../support/graphql.js';
import { uniqueKey } from '../support/payments.js';

// The recovery job cannot authorize a card it never held: a confirm the acquirer never received ends
// FAILED by recovery. It waits here, so that the client's retry, which carries the card, resumes it.
const suite = crashSuite({ subgraphs: ['payment', 'accounting'], env: { PAYMENT_RECOVERY_AFTER: '10m' } }, 'Confirms that crash');

describe('a confirm whose payment process dies, retried with its key after a restart', () => {
  it.each(['payment.confirm.after-intent', 'payment.confirm.after-provider', 'payment.confirm.before-outcome-commit'] as const)(
    '%s: the same SUCCEEDED answer, one capture at the acquirer, booked once',
    async (point) => {
      const { system, apiKey } = suite;
      const payment = system.subgraphs.payment!;
      await restart(payment, point);
      const amount = { amount: '42.17', currency: 'USD' };
      const created = expectNoErrors(await moneyOperations.create(system, apiKey, { amount, captureMethod: 'AUTOMATIC' })).createPayment;
      const key = uniqueKey('confirm');
      const run = await crashThenRetry(payment, point, () => moneyOperations.confirm(system, apiKey, created.id, key));
      expect(run.exit).toEqual({ code: null, signal: 'SIGKILL' });

      const confirmed = expectNoErrors(run.answer).confirmPayment;
      expect(confirmed).toMatchObject({ id: created.id, status: 'SUCCEEDED', amountReceived: amount, amountCapturable: { amount: '0.00' } });
      expect(run.again).toEqual(run.answer);
      expect(await paymentOf(system, apiKey, created.id)).toMatchObject({ status: 'SUCCEEDED', amountReceived: amount });

      expect(await acquirerDid(system, created.id)).toEqual({ authorizations: ['captured'], captures: [BigInt(confirmed.amountReceived.minorUnits)], voids: 0, refunds: [] });
      await expectBooksAgree(system);
      const ledger = await ledgerOfPayment(system, apiKey, created.id);
      expect(new Set(ledger.ledgerEntries.map((entry) => entry.journalId)).size).toBe(1);
    },
    180_000,
  );
});

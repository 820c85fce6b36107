import { expect } from 'vitest';
import { expectNoErrors } from './graphql.js';
import type { PaymentResult } from './operations.js';
import { countRows, payerAction } from './payments.js';
import type { System } from './system.js';
import type { WalletDriver } from './wallets.js';

/** A wallet payment the payer approved: SUCCEEDED, all of it received. */
export async function paidWalletPayment(system: System, apiKey: string, wallet: WalletDriver, amount = '100.00'): Promise<PaymentResult> {
  const payment = await wallet.awaitingPayer(system, apiKey, amount);
  const paid = expectNoErrors(await payerAction(system, apiKey, payment.id, 'APPROVE')).sandboxPayerAction;
  expect(paid.status).toBe('SUCCEEDED');
  return paid;
}

export const cny = (amount: string) => ({ amount, currency: 'CNY' });

/** How many events of `type` the payment subgraph's outbox holds about a payment. */
export function refundEvents(system: System, paymentId: string, type: string): Promise<number> {
  return countRows(system, 'outbox', 'aggregate_id = ? and type = ?', [paymentId, type]);
}

import { LockMode } from '@mikro-orm/core';
import type { Dialect, Em } from '../../../lib/database.js';
import { fail } from '../../../lib/errors.js';
import { canSeeMerchant, type Principal } from '../../../lib/principal.js';
import { Payment } from '../entities/Payment.js';

/**
 * Loads a payment for change inside a transaction. On PostgreSQL the row is locked (SELECT … FOR UPDATE)
 * so concurrent captures and refunds of one payment run one after the other; SQLite has one writer.
 * Another merchant's payment is NOT_FOUND, as if it did not exist.
 */
export async function lockPayment(tx: Em, dialect: Dialect, principal: Principal | null, id: string): Promise<Payment> {
  const payment = await lockPaymentIfExists(tx, dialect, id);
  if (!payment || (principal && !canSeeMerchant(principal, payment.merchantId))) throw fail.notFound('Payment', id);
  return payment;
}

export function lockPaymentIfExists(tx: Em, dialect: Dialect, id: string): Promise<Payment | null> {
  return tx.findOne(Payment, { id }, dialect === 'postgresql' ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
}

/** A read without lock, for checks made before anything is claimed or written. */
export async function findVisiblePayment(em: Em, principal: Principal, id: string): Promise<Payment> {
  const payment = await em.fork().findOne(Payment, { id });
  if (!payment || !canSeeMerchant(principal, payment.merchantId)) throw fail.notFound('Payment', id);
  return payment;
}

import { transactionTypes, type TransactionDirection, type TransactionType } from '../entities/TransactionRecord.js';

/** Which way each kind of movement takes the money, from the merchant's point of view. */
export const directionOf: Record<TransactionType, TransactionDirection> = {
  PAYMENT: 'INCOME',
  REFUND: 'EXPENSE',
};

/** The types whose direction is one of these: a direction filter becomes a type filter, which an index serves. */
export function typesWithDirection(directions: readonly TransactionDirection[]): TransactionType[] {
  return transactionTypes.filter((type) => directions.includes(directionOf[type]));
}

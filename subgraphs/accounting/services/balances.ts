import { money, subtract, type Money } from '../../../lib/money.js';
import type { AccountBalance } from '../entities/AccountBalance.js';
import { accounts } from './accounts.js';

export interface MerchantBalance {
  available: Money[];
  pending: Money[];
}

/** The accounts a merchant's balance is read from. */
export function merchantAccounts(merchantId: string): string[] {
  return [accounts.merchantAvailable(merchantId), accounts.merchantPending(merchantId)];
}

/** A merchant account holds what is owed to the merchant: credits − debits, one Money per currency. */
export function merchantBalance(merchantId: string, rows: AccountBalance[]): MerchantBalance {
  const held = (account: string) =>
    rows
      .filter((row) => row.account === account)
      .sort((a, b) => a.currency.localeCompare(b.currency))
      .map((row) => subtract(money(row.creditTotal, row.currency), money(row.debitTotal, row.currency)));
  return { available: held(accounts.merchantAvailable(merchantId)), pending: held(accounts.merchantPending(merchantId)) };
}

/**
 * The ledger's accounts, named `<owner>:<id>:<purpose>`: one pair per merchant (funds not yet settled,
 * funds settled), one clearing account per provider channel, one for the platform's fees.
 */
export const accounts = {
  merchantPending: (merchantId: string) => `merchant:${merchantId}:pending`,
  merchantAvailable: (merchantId: string) => `merchant:${merchantId}:available`,
  providerClearing: (channel: string) => `provider:${channel}:clearing`,
  platformFees: 'platform:fees',
};

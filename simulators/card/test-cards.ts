export type CardDecision =
  | { outcome: 'approved'; refundsDeclined?: true }
  | { outcome: 'declined'; declineCode: string }
  | { outcome: 'requires_action' };

export interface CardDetails {
  number: string;
  exp_month: number;
  exp_year: number;
}

// The sandbox's documented test numbers; any other number that passes Luhn is approved.
const testCardDecisions = new Map<string, CardDecision>([
  ['4242424242424242', { outcome: 'approved' }],
  ['4000000000000002', { outcome: 'declined', declineCode: 'card_declined' }],
  ['4000000000009995', { outcome: 'declined', declineCode: 'insufficient_funds' }],
  ['4000000000000069', { outcome: 'declined', declineCode: 'expired_card' }],
  ['4000000000003220', { outcome: 'requires_action' }],
  // approved, but the issuer refuses every refund to it (as Stripe's 4000000000005126)
  ['4000000000005126', { outcome: 'approved', refundsDeclined: true }],
]);

export function passesLuhn(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    const digit = Number(number[number.length - 1 - i]);
    const weighted = i % 2 === 1 ? digit * 2 : digit;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return sum % 10 === 0;
}

/** A card is valid through the last day of its expiry month. */
function hasExpired(card: CardDetails, now: Date): boolean {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  return card.exp_year < year || (card.exp_year === year && card.exp_month < month);
}

export function decideCard(card: CardDetails, now: Date): CardDecision {
  if (!passesLuhn(card.number)) return { outcome: 'declined', declineCode: 'incorrect_number' };
  if (hasExpired(card, now)) return { outcome: 'declined', declineCode: 'expired_card' };
  return testCardDecisions.get(card.number) ?? { outcome: 'approved' };
}

export function cardBrand(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  return 'unknown';
}

import { fail } from '../../../lib/errors.js';
import type { ValidatedCard } from '../channels/channel.js';

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

const brands: [RegExp, string][] = [
  [/^4/, 'visa'],
  [/^(5[1-5]|2(2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/, 'mastercard'],
  [/^3[47]/, 'amex'],
  [/^(6011|65|64[4-9]|622)/, 'discover'],
  [/^35(2[89]|[3-8]\d)/, 'jcb'],
  [/^62/, 'unionpay'],
  [/^3(0[0-5]|[68])/, 'diners'],
];

export function cardBrand(digits: string): string {
  return brands.find(([pattern]) => pattern.test(digits))?.[1] ?? 'unknown';
}

/**
 * Checks a card's shape: digits and Luhn, month, year, CVC. An expired card is not refused here:
 * like a real issuer's decline, it ends the payment FAILED with EXPIRED_CARD.
 */
export function validateCard(card: CardInput, field = 'input.card'): ValidatedCard {
  const number = card.number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number)) throw fail.badInput(`${field}.number`, 'must be 12 to 19 digits');
  if (!luhnValid(number)) throw fail.badInput(`${field}.number`, 'is not a valid card number (check digit)');
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) {
    throw fail.badInput(`${field}.expMonth`, 'must be 1 to 12');
  }
  if (!Number.isInteger(card.expYear) || card.expYear < 2000 || card.expYear > 2100) {
    throw fail.badInput(`${field}.expYear`, 'must be a four-digit year');
  }
  if (!/^\d{3,4}$/.test(card.cvc)) throw fail.badInput(`${field}.cvc`, 'must be 3 or 4 digits');
  return {
    number,
    expMonth: card.expMonth,
    expYear: card.expYear,
    cvc: card.cvc,
    summary: { brand: cardBrand(number), last4: number.slice(-4), expMonth: card.expMonth, expYear: card.expYear },
  };
}

export function isExpired(card: Pick<CardInput, 'expMonth' | 'expYear'>, now: Date): boolean {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  return card.expYear < year || (card.expYear === year && card.expMonth < month);
}

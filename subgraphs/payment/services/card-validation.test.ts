import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../lib/errors.js';
import { cardBrand, isExpired, luhnValid, validateCard, type CardInput } from './card-validation.js';

const valid: CardInput = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };

function refusedField(card: Partial<CardInput>): string {
  try {
    validateCard({ ...valid, ...card });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect(error.code).toBe('BAD_USER_INPUT');
    return String(error.details['field']);
  }
  throw new Error(`accepted ${JSON.stringify(card)}`);
}

describe('luhnValid', () => {
  it.each(['4242424242424242', '4000000000000002', '4000000000003220', '5555555555554444', '378282246310005', '6011111111111117', '79927398713'])(
    '%s passes',
    (number) => expect(luhnValid(number)).toBe(true),
  );
  it.each(['4242424242424241', '4242424242424243', '5555555555554445', '378282246310006', '79927398710'])('%s fails', (number) => {
    expect(luhnValid(number)).toBe(false);
  });
});

describe('cardBrand', () => {
  it.each([
    ['4242424242424242', 'visa'],
    ['4000056655665556', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['5105105105105100', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['2720990000000007', 'mastercard'],
    ['378282246310005', 'amex'],
    ['371449635398431', 'amex'],
    ['6011111111111117', 'discover'],
    ['3566002020360505', 'jcb'],
    ['9999999999999995', 'unknown'],
  ])('%s is %s', (number, brand) => expect(cardBrand(number)).toBe(brand));
});

describe('validateCard', () => {
  it('keeps only brand, last four digits and expiry in the summary', () => {
    const card = validateCard(valid);
    expect(card.summary).toEqual({ brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 });
    expect(JSON.stringify(card.summary)).not.toContain(valid.number);
  });

  it('accepts a number written with spaces or dashes, and keeps the digits only', () => {
    expect(validateCard({ ...valid, number: '4242 4242 4242 4242' }).number).toBe('4242424242424242');
    expect(validateCard({ ...valid, number: '3782-822463-10005' }).summary).toMatchObject({ brand: 'amex', last4: '0005' });
  });

  it('accepts a four-digit CVC and the edges of month and year', () => {
    expect(validateCard({ ...valid, cvc: '1234', expMonth: 1, expYear: 2000 }).cvc).toBe('1234');
    expect(validateCard({ ...valid, expMonth: 12, expYear: 2100 }).expYear).toBe(2100);
  });

  it.each([
    ['a failing check digit', { number: '4242424242424241' }, 'input.card.number'],
    ['letters', { number: '4242abcd42424242' }, 'input.card.number'],
    ['too short', { number: '42424242424' }, 'input.card.number'],
    ['too long', { number: '42424242424242424242' }, 'input.card.number'],
    ['empty', { number: '' }, 'input.card.number'],
    ['month 0', { expMonth: 0 }, 'input.card.expMonth'],
    ['month 13', { expMonth: 13 }, 'input.card.expMonth'],
    ['a fractional month', { expMonth: 1.5 }, 'input.card.expMonth'],
    ['a two-digit year', { expYear: 30 }, 'input.card.expYear'],
    ['year 2101', { expYear: 2101 }, 'input.card.expYear'],
    ['a CVC with a letter', { cvc: '12a' }, 'input.card.cvc'],
    ['a two-digit CVC', { cvc: '12' }, 'input.card.cvc'],
    ['a five-digit CVC', { cvc: '12345' }, 'input.card.cvc'],
  ])('refuses %s, naming %s', (_name, card, field) => {
    expect(refusedField(card)).toBe(field);
  });

  it('never puts the number in a refusal message', () => {
    try {
      validateCard({ ...valid, number: '4242424242424241' });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('4242424242424241');
      return;
    }
    throw new Error('accepted');
  });
});

describe('isExpired', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  it('a card is valid through its expiry month', () => {
    expect(isExpired({ expMonth: 11, expYear: 2026 }, now)).toBe(false);
    expect(isExpired({ expMonth: 12, expYear: 2026 }, now)).toBe(false);
    expect(isExpired({ expMonth: 1, expYear: 2027 }, now)).toBe(false);
  });
  it('and expired after it', () => {
    expect(isExpired({ expMonth: 10, expYear: 2026 }, now)).toBe(true);
    expect(isExpired({ expMonth: 12, expYear: 2025 }, now)).toBe(true);
  });
});

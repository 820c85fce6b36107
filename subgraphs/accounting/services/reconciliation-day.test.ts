import { describe, expect, it } from 'vitest';
import { providerDate, providerDay } from './reconciliation-day.js';

const now = new Date('2026-11-22T17:30:00Z'); // 2026-11-23 01:30 in China

describe('provider days', () => {
  it('are UTC days for CARD and China days (UTC+8) for the wallets', () => {
    expect(providerDay('CARD', '2026-11-22', now)).toMatchObject({ start: new Date('2026-11-22T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') });
    expect(providerDay('ALIPAY', '2026-11-22', now)).toMatchObject({ start: new Date('2026-11-21T16:00:00Z'), end: new Date('2026-11-22T16:00:00Z') });
    expect(providerDate('CARD', now)).toBe('2026-11-22');
    expect(providerDate('WECHAT_PAY', now)).toBe('2026-11-23');
  });

  it('refuse a day to come in the provider time zone, today being allowed', () => {
    expect(() => providerDay('CARD', '2026-11-23', now)).toThrow(/has not begun yet for CARD \(it is 2026-11-22 there\)/);
    expect(providerDay('ALIPAY', '2026-11-23', now).date).toBe('2026-11-23');
  });

  it.each(['2026-02-30', '2026-1-5', '20261122', '2026-11-22T00:00:00Z', ''])('refuse %j as BAD_USER_INPUT', (date) => {
    expect(() => providerDay('CARD', date, now)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'input.date' } }));
  });
});

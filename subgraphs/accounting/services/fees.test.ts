import { describe, expect, it } from 'vitest';
import { money } from '../../../lib/money.js';
import { computeFee, DEFAULT_FEES, parseFeeSchedule } from './fees.js';

const fees = parseFeeSchedule(DEFAULT_FEES);

describe('computeFee', () => {
  it('is 2.9% + 0.30 of a 100.00 USD card payment: 3.20', () => {
    expect(computeFee(fees, 'CARD', money(10_000n, 'USD')).minor).toBe(320n);
  });

  it('adds the fixed part of the payment currency only', () => {
    expect(computeFee(fees, 'CARD', money(10_000n, 'EUR')).minor).toBe(315n);
    expect(computeFee(fees, 'CARD', money(10_000n, 'GBP')).minor).toBe(290n);
    expect(computeFee(fees, 'ALIPAY', money(10_000n, 'USD')).minor).toBe(250n);
  });

  it('rounds the rate part half up in minor units', () => {
    // 2.5% of 0.18 CNY is 0.45 fen: down; of 0.20 it is exactly 0.5: up; of 0.22, 0.55: up
    expect(computeFee(fees, 'ALIPAY', money(18n, 'CNY')).minor).toBe(0n);
    expect(computeFee(fees, 'ALIPAY', money(20n, 'CNY')).minor).toBe(1n);
    expect(computeFee(fees, 'ALIPAY', money(22n, 'CNY')).minor).toBe(1n);
    expect(computeFee(fees, 'ALIPAY', money(59n, 'CNY')).minor).toBe(1n);
    expect(computeFee(fees, 'ALIPAY', money(60n, 'CNY')).minor).toBe(2n);
    // 2.9% of 12.34 USD is 35.786 cents: 36, + 30
    expect(computeFee(fees, 'CARD', money(1_234n, 'USD')).minor).toBe(66n);
  });

  it('works in currencies without decimals', () => {
    expect(computeFee(fees, 'WECHAT_PAY', money(1_000n, 'JPY')).minor).toBe(25n);
    expect(computeFee(fees, 'WECHAT_PAY', money(1_020n, 'JPY')).minor).toBe(26n);
  });

  it('never exceeds the amount', () => {
    expect(computeFee(fees, 'CARD', money(1n, 'USD')).minor).toBe(1n);
    expect(computeFee(fees, 'CARD', money(30n, 'USD')).minor).toBe(30n);
    expect(computeFee(fees, 'CARD', money(31n, 'USD')).minor).toBe(31n);
    expect(computeFee(fees, 'CARD', money(32n, 'USD')).minor).toBe(31n);
  });

  it('is exact beyond 2^53 minor units', () => {
    const amount = 9_007_199_254_740_993n;
    // 2.9% of it is 261 208 778 387 488.797 cents: 489, + 30
    expect(computeFee(fees, 'CARD', money(amount, 'USD')).minor).toBe(261_208_778_387_519n);
  });

  it('charges nothing on a channel the schedule does not name', () => {
    expect(computeFee(parseFeeSchedule('{"CARD":{"bps":100,"fixed":{}}}'), 'ALIPAY', money(10_000n, 'USD')).minor).toBe(0n);
  });
});

describe('parseFeeSchedule', () => {
  it('reads fixed parts as decimal amounts of their currency', () => {
    expect(parseFeeSchedule('{"CARD":{"bps":290,"fixed":{"USD":"0.30","JPY":"40","KWD":"0.125","EUR":"0"}}}')).toEqual({
      CARD: { bps: 290, fixed: { USD: money(30n, 'USD'), JPY: money(40n, 'JPY'), KWD: money(125n, 'KWD'), EUR: money(0n, 'EUR') } },
    });
    expect(parseFeeSchedule('{"ALIPAY":{"bps":250}}')).toEqual({ ALIPAY: { bps: 250, fixed: {} } });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['a fractional rate', '{"CARD":{"bps":2.5,"fixed":{}}}', /CARD\.bps/],
    ['a rate above 100%', '{"CARD":{"bps":10001,"fixed":{}}}', /CARD\.bps/],
    ['a negative rate', '{"CARD":{"bps":-1,"fixed":{}}}', /CARD\.bps/],
    ['too many decimals', '{"CARD":{"bps":290,"fixed":{"USD":"0.305"}}}', /CARD\.fixed\.USD/],
    ['a fixed part as a number', '{"CARD":{"bps":290,"fixed":{"USD":0.3}}}', /CARD\.fixed\.USD/],
    ['an unknown currency', '{"CARD":{"bps":290,"fixed":{"XYZ":"1"}}}', /CARD\.fixed\.XYZ/],
    ['an unknown key', '{"CARD":{"bps":290,"percent":3}}', /CARD/],
  ])('refuses %s, naming it', (_name, json, message) => {
    expect(() => parseFeeSchedule(json)).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import { add, money } from '../../../../lib/money.js';
import { fromYuan, toYuan } from './amounts.js';
import { alipayDate, fromAlipayTime, toAlipayTime } from './time.js';

describe('yuan text and fen', () => {
  it.each([
    [1n, '0.01'],
    [10n, '0.10'],
    [10000n, '100.00'],
    [10050n, '100.50'],
    [999_999_999_99n, '999999999.99'],
  ])('%s fen is "%s" yuan, and back', (fen, yuan) => {
    expect(toYuan(money(fen, 'CNY'))).toBe(yuan);
    expect(fromYuan(yuan)).toEqual(money(fen, 'CNY'));
  });

  it('reads Alipay\'s shorter and signed forms exactly, never through a float', () => {
    const fen = (text: string) => fromYuan(text).minor;
    expect(fen('100')).toBe(10000n);
    expect(fen('100.5')).toBe(10050n);
    expect(fen('-35.80')).toBe(-3580n);
    expect(fen('0.00')).toBe(0n);
    // 0.1 + 0.2 would not be 0.3 in floating point
    expect(add(fromYuan('0.1'), fromYuan('0.2'))).toEqual(fromYuan('0.3'));
    expect(fen('9007199254740.99')).toBe(900719925474099n);
  });

  it.each(['', '1.234', '1e3', '1,000.00', '--1', '¥1.00', 'NaN', '.50'])('refuses "%s"', (text) => {
    expect(() => fromYuan(text)).toThrow(/not an amount in yuan/);
  });
});

describe('Alipay times (China Standard Time, UTC+8)', () => {
  it('writes and reads an instant as Alipay does', () => {
    const instant = new Date('2026-11-22T16:30:05.000Z');
    expect(toAlipayTime(instant)).toBe('2026-11-23 00:30:05');
    expect(fromAlipayTime('2026-11-23 00:30:05')).toEqual(instant);
    expect(alipayDate(instant)).toBe('2026-11-23');
  });

  it.each(['2026-11-23T00:30:05', '2026-02-30 10:00:00', '2026-11-23 24:00:00', 'yesterday'])('refuses "%s"', (text) => {
    expect(fromAlipayTime(text)).toBeNull();
  });
});

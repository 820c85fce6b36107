import { describe, expect, it } from 'vitest';
import { isIdText, JSON_LIMITS, jsonFault, textFault } from './input-rules.js';

describe('textFault', () => {
  it.each([
    ['NUL', 'a\u0000b', 'U+0000'],
    ['ESC', '\u001b[2J', 'U+001B'],
    ['a unit separator', 'a\u001fb', 'U+001F'],
  ])('refuses %s in identifiers and in free text', (_name, text, named) => {
    expect(textFault(text, 'identifier')).toContain(named);
    expect(textFault(text, 'free')).toContain(named);
  });

  it('free text keeps TAB, LF and CR; identifiers keep none of them', () => {
    for (const text of ['a\tb', 'a\nb', 'a\r\nb']) {
      expect(textFault(text, 'free')).toBeNull();
      expect(textFault(text, 'identifier')).toMatch(/control characters/);
    }
  });

  it('refuses lone surrogates and keeps pairs (emoji) and other scripts', () => {
    expect(textFault('a\ud800b', 'free')).toMatch(/lone surrogate/);
    expect(textFault('a\udc00', 'identifier')).toMatch(/lone surrogate/);
    expect(textFault('💳 支付 ü', 'identifier')).toBeNull();
  });
});

describe('jsonFault', () => {
  const nested = (depth: number) => {
    let value: unknown = 'leaf';
    for (let level = 0; level < depth; level += 1) value = { a: value };
    return value;
  };

  it(`accepts ${JSON_LIMITS.maxDepth} levels and refuses one more, naming where`, () => {
    expect(jsonFault(nested(JSON_LIMITS.maxDepth))).toBeNull();
    expect(jsonFault(nested(JSON_LIMITS.maxDepth + 1))).toEqual({ at: '.a.a.a.a.a.a.a.a.a.a', reason: 'must be nested at most 10 levels deep' });
  });

  it('refuses 100,000 levels without recursing', () => {
    let value: unknown = [];
    for (let level = 0; level < 100_000; level += 1) value = [value];
    expect(jsonFault(value)?.reason).toMatch(/nested at most/);
  });

  it('refuses control characters in keys and strings, and oversize content', () => {
    expect(jsonFault({ 'k\u0000': 1 })?.reason).toMatch(/key 1 must not contain control characters/);
    expect(jsonFault({ list: ['ok', 'no\u0000'] })).toMatchObject({ at: '.list[1]' });
    expect(jsonFault({ note: 'two\nlines' })).toBeNull();
    expect(jsonFault({ big: 'x'.repeat(JSON_LIMITS.maxSize) })?.reason).toMatch(/at most/);
  });
});

describe('isIdText', () => {
  it('takes our ids and refuses quotes, CRLF and anything else', () => {
    expect(isIdText('mer_01jd3xk7q2w5z8b0c9d4e6f1g2')).toBe(true);
    expect(isIdText('mer_bulk')).toBe(true);
    for (const text of ['mer_x"', 'mer_x\r\n', 'MER_X', 'mer_', '_x', 'mer x', '']) expect(isIdText(text)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, toPage, validatePageSize } from './pagination.js';

function refusal(work: () => unknown): DomainError {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('cursors', () => {
  it('round-trip a position: time to the millisecond and id', () => {
    const position = { at: new Date('2026-11-22T03:19:58.123Z'), id: 'pay_01jd3abcdefghjkmnpqrstvwxyz0' };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it('round-trip the epoch', () => {
    expect(decodeCursor(encodeCursor({ at: new Date(0), id: 'a' }))).toEqual({ at: new Date(0), id: 'a' });
  });

  it.each([
    ['garbage', 'garbage'],
    ['empty', ''],
    ['no id', Buffer.from('1700000000000:').toString('base64url')],
    ['no time', Buffer.from(':pay_1').toString('base64url')],
    ['a negative time', Buffer.from('-1:pay_1').toString('base64url')],
    ['an id with SQL in it', Buffer.from("1700000000000:x' or 1=1 --").toString('base64url')],
    ['an id too long', Buffer.from(`1700000000000:${'a'.repeat(65)}`).toString('base64url')],
    ['plain text', '1700000000000:pay_1'],
  ])('refuse %s as BAD_USER_INPUT naming the argument', (_name, cursor) => {
    const error = refusal(() => decodeCursor(cursor));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details).toEqual({ field: 'after' });
  });
});

describe('validatePageSize', () => {
  it('defaults to 20 and accepts 0 to 100', () => {
    expect(MAX_PAGE_SIZE).toBe(100);
    expect(validatePageSize(undefined)).toBe(20);
    expect(validatePageSize(null)).toBe(20);
    expect(validatePageSize(null, 5)).toBe(5);
    expect([0, 1, 100].map((size) => validatePageSize(size))).toEqual([0, 1, 100]);
  });

  it.each([-1, 101, 1.5, Number.NaN])('refuses %s', (size) => {
    const error = refusal(() => validatePageSize(size));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details).toEqual({ field: 'first' });
  });
});

describe('toPage', () => {
  const rows = [3, 2, 1].map((n) => ({ id: `row_${n}`, at: new Date(n * 1000) }));
  const position = (row: { id: string; at: Date }) => row;

  it('an extra row means a next page; endCursor is the last edge’s cursor', () => {
    const page = toPage(rows, 2, position);
    expect(page.edges.map((edge) => edge.node.id)).toEqual(['row_3', 'row_2']);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: page.edges[1]!.cursor });
    expect(decodeCursor(page.pageInfo.endCursor!)).toEqual({ at: new Date(2000), id: 'row_2' });
  });

  it('no extra row: the last page', () => {
    expect(toPage(rows, 3, position).pageInfo.hasNextPage).toBe(false);
    expect(toPage([], 3, position).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});

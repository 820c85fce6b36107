import { describe, expect, it } from 'vitest';
import { attachment } from './http-routes.js';

describe('attachment (Content-Disposition)', () => {
  it('is the plain filename when it is plain', () => {
    expect(attachment('transactions-mer_bulk-2026-01-01-2027-01-01.csv')).toBe('attachment; filename="transactions-mer_bulk-2026-01-01-2027-01-01.csv"');
  });

  it('never lets a quote, CR or LF into the header; the exact name goes in filename* (RFC 5987)', () => {
    const header = attachment('a"b\r\nX: y; ü.csv');
    expect(header).toBe(`attachment; filename="a_b__X__y___.csv"; filename*=UTF-8''a%22b%0D%0AX%3A%20y%3B%20%C3%BC.csv`);
    expect(header).not.toMatch(/[\r\n]/);
  });
});

import { describe, expect, it } from 'vitest';
import { boundedLabel } from './labels.js';

describe('boundedLabel', () => {
  it('keeps the first names, then counts any new one as other', () => {
    const label = boundedLabel(2);
    expect(label('CreatePayment', 'anonymous')).toBe('CreatePayment');
    expect(label('Refund', 'anonymous')).toBe('Refund');
    expect(label('Third', 'anonymous')).toBe('other');
    expect(label('CreatePayment', 'anonymous')).toBe('CreatePayment');
  });

  it('gives the fallback to no name, and other to what is no GraphQL name or too long', () => {
    const label = boundedLabel(10);
    expect(label(null, 'anonymous')).toBe('anonymous');
    expect(label('', 'anonymous')).toBe('anonymous');
    expect(label('drop table"}', 'anonymous')).toBe('other');
    expect(label(`A${'x'.repeat(64)}`, 'anonymous')).toBe('other');
  });
});

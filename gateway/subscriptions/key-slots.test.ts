import { describe, expect, it } from 'vitest';
import { keySlots } from './key-slots.js';

describe('keySlots', () => {
  it('gives each key at most max slots, and a released slot (released once, however often called) can be taken again', () => {
    const slots = keySlots(2);
    const first = slots.take('k1')!;
    expect(slots.take('k1')).not.toBeNull();
    expect(slots.take('k1')).toBeNull();
    expect(slots.take('k2')).not.toBeNull();
    first();
    first();
    expect(slots.count('k1')).toBe(1);
    expect(slots.take('k1')).not.toBeNull();
    expect(slots.take('k1')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { decodeEventCursor, encodeEventCursor } from './event-cursor.js';

describe('event cursors', () => {
  it('round-trips a position and time', () => {
    const cursor = { position: 4711, occurredAt: new Date('2026-11-22T06:00:00.123Z') };
    const text = encodeEventCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeEventCursor(text)).toEqual(cursor);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['another version', Buffer.from('v2:1:0').toString('base64url')],
    ['position zero', Buffer.from('v1:0:0').toString('base64url')],
    ['a raw event id', 'payment:12'],
    ['trailing text', Buffer.from('v1:5:1700000000000x').toString('base64url')],
    ['too long', 'A'.repeat(65)],
  ])('refuses %s', (_name, text) => {
    expect(decodeEventCursor(text)).toBeNull();
  });
});

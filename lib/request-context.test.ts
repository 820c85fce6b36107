import { describe, expect, it } from 'vitest';
import { acceptedRequestId, currentRequestId, requestIdHeader, runInRequest, withRequestId } from './request-context.js';

describe('request ids', () => {
  it("a caller's printable id of at most 128 characters is kept", () => {
    for (const id of ['abc', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'a'.repeat(128), 'trace id: 1/2']) expect(acceptedRequestId(id)).toBe(id);
  });

  it('any other (missing, empty, too long, not printable, shaped as a key) is replaced by a new random one', () => {
    const refused = [undefined, '', 'a'.repeat(129), 'line\nbreak', 'tab\there', 'é', ['a', 'b'], 'pgk_Q2hlY2tUaGlzS2V5SXNOZXZlckxvZ2dlZEFueXdoZXJl0', 'Bearer x'];
    const made = refused.map((id) => acceptedRequestId(id));
    for (const id of made) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(made).size).toBe(made.length);
  });

  it("is known to what runs for the request: errors' extensions and the header passed to subgraphs", async () => {
    expect(currentRequestId()).toBeUndefined();
    expect(withRequestId({ code: 'NOT_FOUND' })).toEqual({ code: 'NOT_FOUND' });
    expect(requestIdHeader()).toEqual({});
    await runInRequest('abc', async () => {
      await Promise.resolve();
      expect(withRequestId({ code: 'NOT_FOUND' })).toEqual({ code: 'NOT_FOUND', requestId: 'abc' });
      expect(requestIdHeader()).toEqual({ 'x-request-id': 'abc' });
    });
  });
});

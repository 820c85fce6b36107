import { createHmac } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { verifyCardWebhook } from './webhook.js';

const secret = 'whsec_test';
const now = 1_800_000_000;
const body = JSON.stringify({
  id: 'evt_1',
  type: 'authorization.updated',
  created: now,
  data: {
    id: 'auth_1', reference: 'pay_1', status: 'captured', amount: '1000', currency: 'EUR', captured_amount: '1000',
    decline_code: null, action_url: null, brand: 'visa', last4: '3220',
  },
});

function sign(payload: string, timestamp = now, key = secret): string {
  return `t=${timestamp},v1=${createHmac('sha256', key).update(`${timestamp}.${payload}`).digest('hex')}`;
}

describe('verifyCardWebhook', () => {
  it('accepts a correctly signed event and reads its amounts as minor units', () => {
    const result = verifyCardWebhook(secret, Buffer.from(body), sign(body), now);
    expect(result).toEqual({
      ok: true,
      event: {
        id: 'evt_1', type: 'authorization.updated', created: now,
        data: {
          id: 'auth_1', reference: 'pay_1', status: 'captured', amount: 1000n, currency: 'EUR', capturedAmount: 1000n,
          declineCode: null, actionUrl: null, brand: 'visa', last4: '3220',
        },
      },
    });
  });

  it('accepts the body as a string and a header that also carries a signature under an old secret', () => {
    const header = `${sign(body)},v1=${'0'.repeat(64)}`;
    expect(verifyCardWebhook(secret, body, header, now).ok).toBe(true);
  });

  it('refuses a body changed after signing', () => {
    const tampered = body.replace('"1000"', '"9000"');
    expect(verifyCardWebhook(secret, tampered, sign(body), now)).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses a signature made with another secret', () => {
    const result = verifyCardWebhook(secret, body, sign(body, now, 'whsec_other'), now);
    expect(result).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses a timestamp older than the tolerance, and one too far in the future', () => {
    expect(verifyCardWebhook(secret, body, sign(body, now - 301), now)).toEqual({ ok: false, reason: 'stale timestamp' });
    expect(verifyCardWebhook(secret, body, sign(body, now + 301), now)).toEqual({ ok: false, reason: 'stale timestamp' });
    expect(verifyCardWebhook(secret, body, sign(body, now - 300), now).ok).toBe(true);
  });

  it('refuses a missing header', () => {
    expect(verifyCardWebhook(secret, body, undefined, now)).toEqual({ ok: false, reason: 'missing signature header' });
    expect(verifyCardWebhook(secret, body, '', now)).toEqual({ ok: false, reason: 'missing signature header' });
  });

  it.each([
    'garbage',
    `v1=${'a'.repeat(64)}`,
    `t=${now}`,
    `t=${now},v1=abc`,
    `t=yesterday,v1=${'a'.repeat(64)}`,
  ])('refuses the malformed header %s', (header) => {
    expect(verifyCardWebhook(secret, body, header, now)).toEqual({ ok: false, reason: 'malformed signature header' });
  });

  it('refuses a correctly signed body that is not an event it knows', () => {
    expect(verifyCardWebhook(secret, 'not json', sign('not json'), now)).toEqual({ ok: false, reason: 'body is not JSON' });
    const other = JSON.stringify({ id: 'evt_2', type: 'charge.updated', created: now, data: {} });
    expect(verifyCardWebhook(secret, other, sign(other), now)).toEqual({ ok: false, reason: 'unexpected event shape' });
  });
});

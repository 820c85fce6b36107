import { describe, expect, it } from 'vitest';
import { apiKeyEvents } from './api-key-events.js';
import { paymentEvents } from './events.js';
import { isPartnerEventType, partnerEvent, partnerEventType } from './partner-events.js';

describe('api_key events', () => {
  const payload = { keyId: 'key_1', merchantId: 'mer_1', endsAt: '2026-12-02T10:00:00.000Z', replacedBy: 'key_2' };

  it('are never partners’ events: not in the event log, not delivered to webhooks', () => {
    for (const type of Object.keys(apiKeyEvents)) {
      expect(partnerEventType(type)).toBeNull();
      expect(isPartnerEventType(type)).toBe(false);
      expect(partnerEvent(type, payload)).toBeNull();
    }
  });

  it('share no type with the payment events', () => {
    for (const type of Object.keys(apiKeyEvents)) expect(Object.hasOwn(paymentEvents, type)).toBe(false);
  });

  it('carry the key, its merchant and when it stops working', () => {
    expect(apiKeyEvents['api_key.rolled'].parse(payload)).toEqual({ ...payload, endsAt: new Date(payload.endsAt) });
    expect(apiKeyEvents['api_key.revoked'].safeParse({ ...payload, endsAt: 'soon' }).success).toBe(false);
  });
});

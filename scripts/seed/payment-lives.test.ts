import { describe, expect, it } from 'vitest';
import { lessThanOrEqual, money, sum } from '../../lib/money.js';
import { generateMerchants } from './merchants.js';
import { livePayment, type PaymentLife } from './payment-lives.js';
import { Random } from './random.js';

const end = new Date('2026-11-22T00:00:00.000Z');

function lives(seed: number, count: number): PaymentLife[] {
  const random = new Random(seed);
  const merchants = generateMerchants(random, 40, new Date('2026-05-22T00:00:00.000Z'));
  // the last two days before the end, so that some payments and refunds are still under way at the end
  return Array.from({ length: count }, (_v, i) => livePayment(random, merchants[i % merchants.length]!, new Date(end.getTime() - 2 * 86_400_000 + i * 7_000), end));
}

describe('livePayment', () => {
  const all = lives(11, 24_000);

  it('ends most payments SUCCEEDED, and some in every other way', () => {
    const count = (status: string) => all.filter((l) => l.status === status).length;
    expect(count('SUCCEEDED') / all.length).toBeGreaterThan(0.8);
    for (const status of ['FAILED', 'CANCELED', 'REQUIRES_CONFIRMATION', 'REQUIRES_ACTION', 'REQUIRES_CAPTURE']) expect(count(status), status).toBeGreaterThan(0);
  });

  it('takes wallets in CNY only, captured automatically; cards in other currencies', () => {
    for (const life of all.filter((l) => l.channel !== 'CARD')) expect([life.currency, life.captureMethod, life.card]).toEqual(['CNY', 'AUTOMATIC', null]);
    expect(all.filter((l) => l.channel === 'CARD').every((l) => l.currency !== 'CNY')).toBe(true);
  });

  it('captures what succeeded only, at most the amount, partly now and then', () => {
    for (const life of all) {
      expect(life.capturedAt !== null, life.id).toBe(life.status === 'SUCCEEDED');
      expect(life.amountReceived > 0n, life.id).toBe(life.status === 'SUCCEEDED');
      expect(life.amountReceived <= life.amount, life.id).toBe(true);
      expect(life.amountCapturable, life.id).toBe(life.status === 'REQUIRES_CAPTURE' ? life.amount : 0n);
    }
    expect(all.some((l) => l.status === 'SUCCEEDED' && l.amountReceived < l.amount)).toBe(true);
  });

  it('lets nothing happen at or after the end: what would is still pending', () => {
    for (const life of all) {
      for (const at of [life.createdAt, life.updatedAt, life.capturedAt, ...life.refunds.flatMap((r) => [r.createdAt, r.endedAt])]) {
        if (at) expect(at.getTime(), life.id).toBeLessThan(end.getTime());
      }
      for (const refund of life.refunds) expect(refund.endedAt === null, refund.id).toBe(refund.status === 'PENDING');
    }
    // a wallet's QR code waits 15 minutes: only payments that recent still wait for their payer
    for (const life of all.filter((l) => l.channel !== 'CARD' && l.status === 'REQUIRES_ACTION')) expect(end.getTime() - life.createdAt.getTime()).toBeLessThan(16 * 60_000);
  });

  it('refunds some captured payments, in part or whole, never more than was captured', () => {
    const refunded = all.filter((l) => l.refunds.length > 0);
    expect(refunded.length / all.length).toBeGreaterThan(0.01);
    expect(refunded.some((l) => l.refunds.length === 2)).toBe(true);
    for (const life of refunded) {
      expect(life.status).toBe('SUCCEEDED');
      const kept = sum(life.refunds.filter((r) => r.status !== 'FAILED').map((r) => money(r.amount, life.currency)), life.currency);
      expect(lessThanOrEqual(kept, money(life.amountReceived, life.currency)), life.id).toBe(true);
      for (const refund of life.refunds) expect(refund.createdAt > life.capturedAt!, refund.id).toBe(true);
    }
  });

  it('is the same for the same seed, identifiers included', () => {
    expect(lives(5, 500)).toEqual(lives(5, 500));
    expect(lives(5, 500).map((l) => l.id)).not.toEqual(lives(6, 500).map((l) => l.id));
    expect(all.every((l) => /^pay_[0-9a-hjkmnp-tv-z]{26}$/.test(l.id))).toBe(true);
  });
});

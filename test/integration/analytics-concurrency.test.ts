import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTING_EVENTS, PAYMENT_EVENTS, type EventEnvelope } from '../../lib/events/event.js';
import { money, multiply } from '../../lib/money.js';
import { DailyRollup } from '../../subgraphs/analytics/entities/DailyRollup.js';
import { HourlyRollup } from '../../subgraphs/analytics/entities/HourlyRollup.js';
import { PaymentFact } from '../../subgraphs/analytics/entities/PaymentFact.js';
import { AccountingEvents, PaymentEvents, type TestPayment } from '../../subgraphs/analytics/test-kit.js';
import { startSystem, type System } from '../support/system.js';

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => system?.stop());

const PAYMENTS = 30;

/**
 * Many payments of one merchant, hour, channel and currency (so they all write the same rollup rows),
 * each with its two streams applied at once by separate handlers, and every event delivered twice at
 * the same moment: the transport's at-least-once, with consumers racing as replicas would.
 */
describe('the analytics consumers under concurrent delivery', () => {
  it('count every payment once: both rollups equal the facts, the facts equal what happened', async () => {
    const payments = new PaymentEvents();
    const accounting = new AccountingEvents();
    const createdAt = new Date('2026-03-02T10:20:00.000Z');
    const streams: [typeof PAYMENT_EVENTS | typeof ACCOUNTING_EVENTS, EventEnvelope[]][] = [];
    const created: EventEnvelope[] = [];
    for (let i = 0; i < PAYMENTS; i++) {
      const payment: TestPayment = { paymentId: `pay_race_${i}`, merchantId: 'mer_race', amount: 10_000n, createdAt };
      created.push(payments.created(payment));
      streams.push([
        PAYMENT_EVENTS,
        [
          payments.statusChanged(payment, 'REQUIRES_CONFIRMATION', 'PROCESSING', createdAt),
          payments.statusChanged(payment, 'PROCESSING', 'SUCCEEDED', createdAt, 10_000n),
          payments.refund(payment, 'refund.succeeded', `re_race_${i}`, 1_000n, createdAt),
        ],
      ]);
      streams.push([ACCOUNTING_EVENTS, [accounting.paymentBooked(payment, 10_000n, 320n, createdAt), accounting.refundBooked(payment, `re_race_${i}`, 1_000n, 20n, createdAt)]]);
    }
    // Once each payment exists, its status changes and refund race its bookings (a fee returned with the refund too).
    for (const event of created) await system.analytics.handleEvent(event);
    const outcomes: string[] = [];
    await Promise.all(
      streams.map(async ([, events]) => {
        for (const event of events) {
          const twice = await Promise.all([system.analytics.handleEvent(event), system.analytics.handleEvent(event)]);
          outcomes.push(twice.sort().join(' '));
        }
      }),
    );
    expect(new Set(outcomes)).toEqual(new Set(['applied duplicate']));

    const usdTimesPayments = (minor: bigint) => multiply(money(minor, 'USD'), PAYMENTS).minor;
    const em = system.analytics.database.fork();
    const facts = await em.find(PaymentFact, { merchantId: 'mer_race' });
    expect(facts).toHaveLength(PAYMENTS);
    for (const fact of facts) expect(fact).toMatchObject({ status: 'SUCCEEDED', captured: 10_000n, refunded: 1_000n, fee: 300n });
    const rows = await em.find(HourlyRollup, { merchantId: 'mer_race', payments: { $ne: 0 } });
    expect(rows.map((r) => [r.hourStart.toISOString(), r.status, r.payments, r.captured, r.refunded, r.fee])).toEqual([
      ['2026-03-02T10:00:00.000Z', 'SUCCEEDED', PAYMENTS, usdTimesPayments(10_000n), usdTimesPayments(1_000n), usdTimesPayments(300n)],
    ]);
    const daily = await em.find(DailyRollup, { payments: { $ne: 0 } });
    expect(daily.map((r) => [r.dayStart.toISOString(), r.channel, r.currency, r.status, r.payments, r.captured, r.refunded, r.fee])).toEqual([
      ['2026-03-02T00:00:00.000Z', 'CARD', 'USD', 'SUCCEEDED', PAYMENTS, usdTimesPayments(10_000n), usdTimesPayments(1_000n), usdTimesPayments(300n)],
    ]);
    // the rows the payments passed through hold nothing any more
    const passed = await em.find(HourlyRollup, { merchantId: 'mer_race', payments: 0 });
    expect(passed.map((r) => [r.status, r.captured, r.refunded, r.fee]).sort()).toEqual([
      ['PROCESSING', 0n, 0n, 0n],
      ['REQUIRES_CONFIRMATION', 0n, 0n, 0n],
    ]);
  }, 120_000);
});

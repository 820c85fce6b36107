import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventOutOfOrder } from '../../../lib/events/inbox.js';
import { FailedPayment } from '../entities/FailedPayment.js';
import { PaymentFigures } from '../entities/PaymentFigures.js';
import { RefundRecord } from '../entities/RefundRecord.js';
import { Settlement } from '../entities/Settlement.js';
import { DAY, openTestDatabase, PaymentEvents, testLedger, type TestPayment } from '../test-kit.js';
import { TestClock } from '../../../test/support/clock.js';

const t0 = new Date('2026-11-22T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const card: TestPayment = { paymentId: 'pay_card', merchantId: 'mer_1', amount: 10_000n };

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let clock: TestClock;
let ledger: ReturnType<typeof testLedger>;
let events: PaymentEvents;

beforeEach(async () => {
  database = await openTestDatabase();
  clock = new TestClock(t0);
  ledger = testLedger(database, clock);
  events = new PaymentEvents();
});
afterEach(() => database.remove());

const lines = async (paymentId: string) =>
  (await ledger.entries(paymentId)).map((e) => [e.journalSequence, e.side, e.account, e.amount]);

describe('capture', () => {
  it('books an automatic capture of 100.00 USD by card: clearing 100.00 / pending 96.80 / fees 3.20', async () => {
    expect(await ledger.handle(events.statusChanged(card, 'REQUIRES_CONFIRMATION', 'PROCESSING', t0))).toBe('applied');
    expect(await ledger.handle(events.captured(card, t0))).toBe('applied');
    const [journal] = await ledger.journals();
    expect(journal).toMatchObject({ sequence: 1, type: 'capture', paymentId: 'pay_card', merchantId: 'mer_1', currency: 'USD', eventId: 'payment:2' });
    expect(await lines('pay_card')).toEqual([
      [1, 'DEBIT', 'provider:CARD:clearing', 10_000n],
      [1, 'CREDIT', 'merchant:mer_1:pending', 9_680n],
      [1, 'CREDIT', 'platform:fees', 320n],
    ]);
    expect(await ledger.balances()).toEqual({
      'provider:CARD:clearing USD': -10_000n,
      'merchant:mer_1:pending USD': 9_680n,
      'platform:fees USD': 320n,
    });
    expect(await database.fork().findOneOrFail(PaymentFigures, { paymentId: 'pay_card' })).toMatchObject({ captured: 10_000n, fee: 320n, refunded: 0n });
  });

  it('books a manual partial capture on the amount captured', async () => {
    const alipay = { ...card, paymentId: 'pay_ali', channel: 'ALIPAY' };
    await ledger.handle(events.statusChanged(alipay, 'PROCESSING', 'REQUIRES_CAPTURE', t0));
    await ledger.handle(events.statusChanged(alipay, 'REQUIRES_CAPTURE', 'PROCESSING', t0));
    await ledger.handle(events.captured(alipay, t0, 6_000n));
    expect(await lines('pay_ali')).toEqual([
      [1, 'DEBIT', 'provider:ALIPAY:clearing', 6_000n],
      [1, 'CREDIT', 'merchant:mer_1:pending', 5_850n],
      [1, 'CREDIT', 'platform:fees', 150n],
    ]);
  });

  it('books nothing for authorizations, cancellations, declines, pending and failed refunds', async () => {
    const other = { ...card, paymentId: 'pay_other' };
    for (const event of [
      events.event('pay_card', 'payment.created', { paymentId: 'pay_card' }, t0),
      events.statusChanged(card, 'PROCESSING', 'REQUIRES_CAPTURE', t0),
      events.statusChanged(card, 'REQUIRES_CAPTURE', 'CANCELED', t0),
      events.statusChanged(other, 'PROCESSING', 'FAILED', t0),
    ]) {
      expect(await ledger.handle(event)).toBe('applied');
    }
    expect(await ledger.journals()).toEqual([]);
    const captured = { ...card, paymentId: 'pay_3' };
    await ledger.handle(events.captured(captured, t0));
    await ledger.handle(events.refund(captured, 'refund.created', 're_1', 1_000n, t0));
    await ledger.handle(events.refund(captured, 'refund.failed', 're_1', 1_000n, t0));
    expect((await ledger.journals()).map((j) => j.type)).toEqual(['capture']);
  });

  it('books an event delivered twice once', async () => {
    const capture = events.captured(card, t0);
    expect(await ledger.handle(capture)).toBe('applied');
    expect(await ledger.handle(capture)).toBe('duplicate');
    expect(await ledger.journals()).toHaveLength(1);
  });

  it('refuses an event that comes before the one it follows, booking nothing', async () => {
    events.statusChanged(card, 'REQUIRES_CONFIRMATION', 'PROCESSING', t0);
    await expect(ledger.handle(events.captured(card, t0))).rejects.toThrow(EventOutOfOrder);
    expect(await ledger.journals()).toEqual([]);
  });
});

describe('refunds and settlement', () => {
  beforeEach(async () => {
    await ledger.handle(events.captured(card, t0));
  });

  it('takes a refund before settlement from pending, keeps the fee, and settles what remains', async () => {
    await ledger.handle(events.refund(card, 'refund.created', 're_1', 2_500n, at(1000)));
    await ledger.handle(events.refund(card, 'refund.succeeded', 're_1', 2_500n, at(2000)));
    expect((await lines('pay_card')).slice(3)).toEqual([
      [2, 'DEBIT', 'merchant:mer_1:pending', 2_500n],
      [2, 'CREDIT', 'provider:CARD:clearing', 2_500n],
    ]);
    expect(await database.fork().findOneOrFail(Settlement, { paymentId: 'pay_card' })).toMatchObject({ amount: 7_180n, settledAt: null });

    expect(await ledger.settle(at(DAY - 1))).toBe(0);
    expect(await ledger.settle(at(DAY))).toBe(1);
    expect((await lines('pay_card')).slice(5)).toEqual([
      [3, 'DEBIT', 'merchant:mer_1:pending', 7_180n],
      [3, 'CREDIT', 'merchant:mer_1:available', 7_180n],
    ]);
    expect(await ledger.balances()).toEqual({
      'provider:CARD:clearing USD': -7_500n,
      'merchant:mer_1:pending USD': 0n,
      'merchant:mer_1:available USD': 7_180n,
      'platform:fees USD': 320n,
    });
    expect(await ledger.settle(at(2 * DAY))).toBe(0);
  });

  it('takes a refund after settlement from available', async () => {
    await ledger.settle(at(DAY));
    await ledger.handle(events.refund(card, 'refund.succeeded', 're_1', 10_000n, at(DAY + 1)));
    expect((await lines('pay_card')).slice(5)).toEqual([
      [3, 'DEBIT', 'merchant:mer_1:available', 10_000n],
      [3, 'CREDIT', 'provider:CARD:clearing', 10_000n],
    ]);
    expect(await ledger.balances()).toMatchObject({ 'merchant:mer_1:available USD': -320n, 'platform:fees USD': 320n, 'provider:CARD:clearing USD': 0n });
  });

  it('does not return the fee on a full refund: the merchant bears it, and settlement moves the shortfall', async () => {
    await ledger.handle(events.refund(card, 'refund.succeeded', 're_1', 10_000n, at(1)));
    expect(await ledger.balances()).toMatchObject({ 'merchant:mer_1:pending USD': -320n, 'platform:fees USD': 320n });
    expect(await ledger.settle(at(DAY))).toBe(1);
    expect((await lines('pay_card')).slice(5)).toEqual([
      [3, 'DEBIT', 'merchant:mer_1:available', 320n],
      [3, 'CREDIT', 'merchant:mer_1:pending', 320n],
    ]);
    expect(await ledger.balances()).toEqual({
      'provider:CARD:clearing USD': 0n,
      'merchant:mer_1:pending USD': 0n,
      'merchant:mer_1:available USD': -320n,
      'platform:fees USD': 320n,
    });
  });

  it('settles a payment refunded down to exactly nothing pending without a journal', async () => {
    await ledger.handle(events.refund(card, 'refund.succeeded', 're_1', 9_680n, at(1)));
    expect(await ledger.settle(at(DAY))).toBe(1);
    expect((await ledger.journals()).map((j) => j.type)).toEqual(['capture', 'refund']);
  });
});

describe('records kept for reconciliation', () => {
  it("keeps the payment's provider reference, each refund's record through its states, and failed payments a provider had named", async () => {
    const paid = { ...card, providerReference: 'auth_paid' };
    await ledger.handle(events.captured(paid, t0));
    await ledger.handle(events.refund(paid, 'refund.created', 'r1', 1_000n, at(1000)));
    await ledger.handle(events.refund(paid, 'refund.created', 'r2', 500n, at(2000)));
    const records = () => database.fork().find(RefundRecord, {}, { orderBy: { refundId: 'asc' } });
    expect((await records()).map((r) => [r.refundId, r.status, r.succeededAt])).toEqual([['r1', 'PENDING', null], ['r2', 'PENDING', null]]);
    await ledger.handle(events.refund(paid, 'refund.succeeded', 'r1', 1_000n, at(3000)));
    await ledger.handle(events.refund(paid, 'refund.failed', 'r2', 500n, at(4000)));
    expect(await records()).toMatchObject([
      { refundId: 'r1', paymentId: 'pay_card', channel: 'CARD', currency: 'USD', amount: 1_000n, status: 'SUCCEEDED', providerReference: 're_r1', createdAt: at(1000), succeededAt: at(3000) },
      { refundId: 'r2', status: 'FAILED', succeededAt: null },
    ]);
    expect(await database.fork().findOneOrFail(PaymentFigures, { paymentId: 'pay_card' })).toMatchObject({ providerReference: 'auth_paid', capturedAt: t0 });

    const declined = { ...card, paymentId: 'pay_declined', channel: 'ALIPAY', currency: 'CNY', amount: 999n, providerReference: '2026112222001' };
    const unnamed = { ...card, paymentId: 'pay_unnamed' };
    await ledger.handle(events.statusChanged(declined, 'REQUIRES_ACTION', 'FAILED', at(5000)));
    await ledger.handle(events.statusChanged(unnamed, 'PROCESSING', 'FAILED', at(5000)));
    expect(await database.fork().find(FailedPayment, {})).toEqual([
      expect.objectContaining({ paymentId: 'pay_declined', channel: 'ALIPAY', currency: 'CNY', amount: 999n, status: 'FAILED', providerReference: '2026112222001', endedAt: at(5000) }),
    ]);
  });
});

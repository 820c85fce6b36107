import { beforeEach, describe, expect, it } from 'vitest';
import { EventOutOfOrder } from '../../../lib/events/inbox.js';
import { FailedPayment } from '../entities/FailedPayment.js';
import { PaymentFigures } from '../entities/PaymentFigures.js';
import { RefundRecord } from '../entities/RefundRecord.js';
import { Settlement } from '../entities/Settlement.js';
import { DAY, ledgerForEachTest, type TestPayment } from '../test-kit.js';

const t0 = new Date('2026-11-22T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const card: TestPayment = { paymentId: 'pay_card', merchantId: 'mer_1', amount: 10_000n };

const bench = ledgerForEachTest(t0);

const lines = async (paymentId: string) =>
  (await bench.ledger.entries(paymentId)).map((e) => [e.journalSequence, e.side, e.account, e.amount]);

describe('capture', () => {
  it('books an automatic capture of 100.00 USD by card: clearing 100.00 / pending 96.80 / fees 3.20', async () => {
    expect(await bench.ledger.handle(bench.events.statusChanged(card, 'REQUIRES_CONFIRMATION', 'PROCESSING', t0))).toBe('applied');
    expect(await bench.ledger.handle(bench.events.captured(card, t0))).toBe('applied');
    const [journal] = await bench.ledger.journals();
    expect(journal).toMatchObject({ sequence: 1, type: 'capture', paymentId: 'pay_card', merchantId: 'mer_1', currency: 'USD', eventId: 'payment:2' });
    expect(await lines('pay_card')).toEqual([
      [1, 'DEBIT', 'provider:CARD:clearing', 10_000n],
      [1, 'CREDIT', 'merchant:mer_1:pending', 9_680n],
      [1, 'CREDIT', 'platform:fees', 320n],
    ]);
    expect(await bench.ledger.balances()).toEqual({
      'provider:CARD:clearing USD': -10_000n,
      'merchant:mer_1:pending USD': 9_680n,
      'platform:fees USD': 320n,
    });
    expect(await bench.database.fork().findOneOrFail(PaymentFigures, { paymentId: 'pay_card' })).toMatchObject({ captured: 10_000n, fee: 320n, refunded: 0n });
  });

  it('books a manual partial capture on the amount captured', async () => {
    const alipay = { ...card, paymentId: 'pay_ali', channel: 'ALIPAY' as const };
    await bench.ledger.handle(bench.events.statusChanged(alipay, 'PROCESSING', 'REQUIRES_CAPTURE', t0));
    await bench.ledger.handle(bench.events.statusChanged(alipay, 'REQUIRES_CAPTURE', 'PROCESSING', t0));
    await bench.ledger.handle(bench.events.captured(alipay, t0, 6_000n));
    expect(await lines('pay_ali')).toEqual([
      [1, 'DEBIT', 'provider:ALIPAY:clearing', 6_000n],
      [1, 'CREDIT', 'merchant:mer_1:pending', 5_850n],
      [1, 'CREDIT', 'platform:fees', 150n],
    ]);
  });

  it('books nothing for authorizations, cancellations, declines, pending and failed refunds', async () => {
    const other = { ...card, paymentId: 'pay_other' };
    for (const event of [
      bench.events.event('pay_card', 'payment.created', { paymentId: 'pay_card' }, t0),
      bench.events.statusChanged(card, 'PROCESSING', 'REQUIRES_CAPTURE', t0),
      bench.events.statusChanged(card, 'REQUIRES_CAPTURE', 'CANCELED', t0),
      bench.events.statusChanged(other, 'PROCESSING', 'FAILED', t0),
    ]) {
      expect(await bench.ledger.handle(event)).toBe('applied');
    }
    expect(await bench.ledger.journals()).toEqual([]);
    const captured = { ...card, paymentId: 'pay_3' };
    await bench.ledger.handle(bench.events.captured(captured, t0));
    await bench.ledger.handle(bench.events.refund(captured, 'refund.created', 're_1', 1_000n, t0));
    await bench.ledger.handle(bench.events.refund(captured, 'refund.failed', 're_1', 1_000n, t0));
    expect((await bench.ledger.journals()).map((j) => j.type)).toEqual(['capture']);
  });

  it('books an event delivered twice once', async () => {
    const capture = bench.events.captured(card, t0);
    expect(await bench.ledger.handle(capture)).toBe('applied');
    expect(await bench.ledger.handle(capture)).toBe('duplicate');
    expect(await bench.ledger.journals()).toHaveLength(1);
  });

  it('refuses an event that comes before the one it follows, booking nothing', async () => {
    bench.events.statusChanged(card, 'REQUIRES_CONFIRMATION', 'PROCESSING', t0);
    await expect(bench.ledger.handle(bench.events.captured(card, t0))).rejects.toThrow(EventOutOfOrder);
    expect(await bench.ledger.journals()).toEqual([]);
  });
});

describe('refunds and settlement', () => {
  beforeEach(async () => {
    await bench.ledger.handle(bench.events.captured(card, t0));
  });

  it('takes a refund before settlement from pending, keeps the fee, and settles what remains', async () => {
    await bench.ledger.handle(bench.events.refund(card, 'refund.created', 're_1', 2_500n, at(1000)));
    await bench.ledger.handle(bench.events.refund(card, 'refund.succeeded', 're_1', 2_500n, at(2000)));
    expect((await lines('pay_card')).slice(3)).toEqual([
      [2, 'DEBIT', 'merchant:mer_1:pending', 2_500n],
      [2, 'CREDIT', 'provider:CARD:clearing', 2_500n],
    ]);
    expect(await bench.database.fork().findOneOrFail(Settlement, { paymentId: 'pay_card' })).toMatchObject({ amount: 7_180n, settledAt: null });

    expect(await bench.ledger.settle(at(DAY - 1))).toBe(0);
    expect(await bench.ledger.settle(at(DAY))).toBe(1);
    expect((await lines('pay_card')).slice(5)).toEqual([
      [3, 'DEBIT', 'merchant:mer_1:pending', 7_180n],
      [3, 'CREDIT', 'merchant:mer_1:available', 7_180n],
    ]);
    expect(await bench.ledger.balances()).toEqual({
      'provider:CARD:clearing USD': -7_500n,
      'merchant:mer_1:pending USD': 0n,
      'merchant:mer_1:available USD': 7_180n,
      'platform:fees USD': 320n,
    });
    expect(await bench.ledger.settle(at(2 * DAY))).toBe(0);
  });

  it('takes a refund after settlement from available', async () => {
    await bench.ledger.settle(at(DAY));
    await bench.ledger.handle(bench.events.refund(card, 'refund.succeeded', 're_1', 10_000n, at(DAY + 1)));
    expect((await lines('pay_card')).slice(5)).toEqual([
      [3, 'DEBIT', 'merchant:mer_1:available', 10_000n],
      [3, 'CREDIT', 'provider:CARD:clearing', 10_000n],
    ]);
    expect(await bench.ledger.balances()).toMatchObject({ 'merchant:mer_1:available USD': -320n, 'platform:fees USD': 320n, 'provider:CARD:clearing USD': 0n });
  });

  it('does not return the fee on a full refund: the merchant bears it, and settlement moves the shortfall', async () => {
    await bench.ledger.handle(bench.events.refund(card, 'refund.succeeded', 're_1', 10_000n, at(1)));
    expect(await bench.ledger.balances()).toMatchObject({ 'merchant:mer_1:pending USD': -320n, 'platform:fees USD': 320n });
    expect(await bench.ledger.settle(at(DAY))).toBe(1);
    expect((await lines('pay_card')).slice(5)).toEqual([
      [3, 'DEBIT', 'merchant:mer_1:available', 320n],
      [3, 'CREDIT', 'merchant:mer_1:pending', 320n],
    ]);
    expect(await bench.ledger.balances()).toEqual({
      'provider:CARD:clearing USD': 0n,
      'merchant:mer_1:pending USD': 0n,
      'merchant:mer_1:available USD': -320n,
      'platform:fees USD': 320n,
    });
  });

  it('settles a payment refunded down to exactly nothing pending without a journal', async () => {
    await bench.ledger.handle(bench.events.refund(card, 'refund.succeeded', 're_1', 9_680n, at(1)));
    expect(await bench.ledger.settle(at(DAY))).toBe(1);
    expect((await bench.ledger.journals()).map((j) => j.type)).toEqual(['capture', 'refund']);
  });
});

describe('records kept for reconciliation', () => {
  it("keeps the payment's provider reference, each refund's record through its states, and failed payments a provider had named", async () => {
    const paid = { ...card, providerReference: 'auth_paid' };
    await bench.ledger.handle(bench.events.captured(paid, t0));
    await bench.ledger.handle(bench.events.refund(paid, 'refund.created', 'r1', 1_000n, at(1000)));
    await bench.ledger.handle(bench.events.refund(paid, 'refund.created', 'r2', 500n, at(2000)));
    const records = () => bench.database.fork().find(RefundRecord, {}, { orderBy: { refundId: 'asc' } });
    expect((await records()).map((r) => [r.refundId, r.status, r.succeededAt])).toEqual([['r1', 'PENDING', null], ['r2', 'PENDING', null]]);
    await bench.ledger.handle(bench.events.refund(paid, 'refund.succeeded', 'r1', 1_000n, at(3000)));
    await bench.ledger.handle(bench.events.refund(paid, 'refund.failed', 'r2', 500n, at(4000)));
    expect(await records()).toMatchObject([
      { refundId: 'r1', paymentId: 'pay_card', channel: 'CARD', currency: 'USD', amount: 1_000n, status: 'SUCCEEDED', providerReference: 're_r1', createdAt: at(1000), succeededAt: at(3000) },
      { refundId: 'r2', status: 'FAILED', succeededAt: null },
    ]);
    expect(await bench.database.fork().findOneOrFail(PaymentFigures, { paymentId: 'pay_card' })).toMatchObject({ providerReference: 'auth_paid', capturedAt: t0 });

    const declined = { ...card, paymentId: 'pay_declined', channel: 'ALIPAY' as const, currency: 'CNY', amount: 999n, providerReference: '2026112222001' };
    const unnamed = { ...card, paymentId: 'pay_unnamed' };
    await bench.ledger.handle(bench.events.statusChanged(declined, 'REQUIRES_ACTION', 'FAILED', at(5000)));
    await bench.ledger.handle(bench.events.statusChanged(unnamed, 'PROCESSING', 'FAILED', at(5000)));
    expect(await bench.database.fork().find(FailedPayment, {})).toEqual([
      expect.objectContaining({ paymentId: 'pay_declined', channel: 'ALIPAY', currency: 'CNY', amount: 999n, status: 'FAILED', providerReference: '2026112222001', endedAt: at(5000) }),
    ]);
  });
});

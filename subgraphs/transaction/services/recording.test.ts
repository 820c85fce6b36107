import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RefundBooking } from '../entities/RefundBooking.js';
import { AccountingStream, openTestDatabase, PaymentStream, testRecorder, type TestPayment } from '../test-kit.js';
import { TestClock } from '../../../test/support/clock.js';
import { TRADE_NO_PATTERN } from './trade-numbers.js';

const t0 = new Date('2026-11-22T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const card: TestPayment = { paymentId: 'pay_1', merchantId: 'mer_1' };

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let recorder: ReturnType<typeof testRecorder>;
let payments: PaymentStream;
let accounting: AccountingStream;

beforeEach(async () => {
  database = await openTestDatabase();
  recorder = testRecorder(database, new TestClock(t0));
  payments = new PaymentStream();
  accounting = new AccountingStream();
});
afterEach(() => database.remove());

const figures = async () =>
  (await recorder.records()).map((r) => [r.type, r.direction, r.status, r.movementId, r.amount, r.fee, r.net, r.occurredAt.toISOString()]);

describe('records from the events', () => {
  it('a booked payment is a SUCCEEDED INCOME record with accounting’s figures, placed at its capture', async () => {
    expect(await recorder.handle(payments.created(card, 10_000n, t0))).toBe('applied');
    expect(await recorder.records()).toEqual([]);
    await recorder.handle(accounting.paymentBooked(card, 10_000n, 320n, at(5), at(40)));
    const [record] = await recorder.records();
    expect(record).toMatchObject({
      type: 'PAYMENT',
      direction: 'INCOME',
      status: 'SUCCEEDED',
      merchantId: 'mer_1',
      paymentId: 'pay_1',
      refundId: null,
      channel: 'CARD',
      currency: 'USD',
      amount: 10_000n,
      fee: 320n,
      net: 9_680n,
      occurredAt: at(5),
    });
    expect(record!.tradeNo).toMatch(TRADE_NO_PATTERN);
    expect(record!.tradeNo).toBe('PG20261122000000000001');
  });

  it('partial refunds: each an EXPENSE record, PENDING then SUCCEEDED, fee and net from accounting', async () => {
    await recorder.handle(accounting.paymentBooked(card, 10_000n, 320n, t0));
    await recorder.handle(payments.refund(card, 'refund.created', 're_1', 2_500n, at(10)));
    expect((await figures()).at(-1)).toEqual(['REFUND', 'EXPENSE', 'PENDING', 're_1', 2_500n, 0n, 2_500n, at(10).toISOString()]);
    await recorder.handle(payments.refund(card, 'refund.succeeded', 're_1', 2_500n, at(10), at(20)));
    await recorder.handle(accounting.refundBooked(card, 're_1', 2_500n, at(25)));
    await recorder.handle(payments.refund(card, 'refund.created', 're_2', 1_000n, at(30)));
    await recorder.handle(payments.refund(card, 'refund.succeeded', 're_2', 1_000n, at(30), at(40)));
    await recorder.handle(accounting.refundBooked(card, 're_2', 1_000n, at(45)));
    expect(await figures()).toEqual([
      ['PAYMENT', 'INCOME', 'SUCCEEDED', 'pay_1', 10_000n, 320n, 9_680n, t0.toISOString()],
      ['REFUND', 'EXPENSE', 'SUCCEEDED', 're_1', 2_500n, 0n, 2_500n, at(10).toISOString()],
      ['REFUND', 'EXPENSE', 'SUCCEEDED', 're_2', 1_000n, 0n, 1_000n, at(30).toISOString()],
    ]);
    expect((await recorder.records()).map((r) => r.tradeNo)).toEqual(['PG20261122000000000001', 'PG20261122000000000002', 'PG20261122000000000003']);
  });

  it('a failed refund ends FAILED and is never booked', async () => {
    await recorder.handle(accounting.paymentBooked(card, 10_000n, 320n, t0));
    await recorder.handle(payments.refund(card, 'refund.created', 're_1', 2_500n, at(10)));
    await recorder.handle(payments.refund(card, 'refund.failed', 're_1', 2_500n, at(10), at(20)));
    expect((await figures()).at(-1)).toEqual(['REFUND', 'EXPENSE', 'FAILED', 're_1', 2_500n, 0n, 2_500n, at(10).toISOString()]);
  });

  it('the streams are independent: refunds consumed before the payment’s booking, and a booking before its refund', async () => {
    // The payment stream is ahead: the refund is created and succeeds before accounting's events arrive.
    await recorder.handle(payments.refund(card, 'refund.created', 're_1', 2_500n, at(10)));
    // Accounting's stream gets ahead of the payment stream for the second refund: booked before created.
    await recorder.handle(accounting.paymentBooked(card, 10_000n, 320n, t0));
    await recorder.handle(accounting.refundBooked(card, 're_1', 2_500n, at(25)));
    await recorder.handle(accounting.refundBooked(card, 're_2', 1_000n, at(45)));
    // re_2's figures wait for its record
    expect(await database.fork().findOneOrFail(RefundBooking, { refundId: 're_2' })).toMatchObject({ fee: 0n, net: 1_000n, bookedAt: at(45) });
    await recorder.handle(payments.refund(card, 'refund.succeeded', 're_1', 2_500n, at(10), at(20)));
    await recorder.handle(payments.refund(card, 'refund.created', 're_2', 1_000n, at(30)));
    await recorder.handle(payments.refund(card, 'refund.succeeded', 're_2', 1_000n, at(30), at(40)));
    expect(await figures()).toEqual([
      ['PAYMENT', 'INCOME', 'SUCCEEDED', 'pay_1', 10_000n, 320n, 9_680n, t0.toISOString()],
      ['REFUND', 'EXPENSE', 'SUCCEEDED', 're_1', 2_500n, 0n, 2_500n, at(10).toISOString()],
      ['REFUND', 'EXPENSE', 'SUCCEEDED', 're_2', 1_000n, 0n, 1_000n, at(30).toISOString()],
    ]);
  });

  it('uses the figures of the event, not its own: a refund booked with a fee keeps it', async () => {
    await recorder.handle(payments.refund(card, 'refund.created', 're_1', 2_500n, at(10)));
    const booked = accounting.refundBooked(card, 're_1', 2_500n, at(25));
    await recorder.handle({ ...booked, payload: { ...booked.payload, fee: '30', net: '2470' } });
    expect((await figures())[0]).toEqual(['REFUND', 'EXPENSE', 'PENDING', 're_1', 2_500n, 30n, 2_470n, at(10).toISOString()]);
  });

  it('each event takes effect once: a redelivered one is skipped by the inbox of its source', async () => {
    const booked = accounting.paymentBooked(card, 10_000n, 320n, t0);
    const created = payments.refund(card, 'refund.created', 're_1', 2_500n, at(10));
    expect(await recorder.handle(booked)).toBe('applied');
    expect(await recorder.handle(created)).toBe('applied');
    expect(await recorder.handle(booked)).toBe('duplicate');
    expect(await recorder.handle(created)).toBe('duplicate');
    expect(await recorder.records()).toHaveLength(2);
  });

  it('refuses a booking that does not match the refund it books, and a refund that ends twice', async () => {
    await recorder.handle(payments.refund(card, 'refund.created', 're_1', 2_500n, at(10)));
    await expect(recorder.handle(accounting.refundBooked(card, 're_1', 2_400n, at(25)))).rejects.toThrow(/booked 2400 USD, recorded 2500 USD/);
    await recorder.handle(payments.refund(card, 'refund.failed', 're_1', 2_500n, at(10), at(20)));
    await expect(recorder.handle(payments.refund(card, 'refund.succeeded', 're_1', 2_500n, at(10), at(30)))).rejects.toThrow(/FAILED record cannot become SUCCEEDED/);
  });

  it('trade numbers count per UTC day of the movement', async () => {
    const other = { ...card, paymentId: 'pay_2' };
    await recorder.handle(accounting.paymentBooked(card, 10_000n, 320n, new Date('2026-11-22T23:59:59.999Z')));
    await recorder.handle(accounting.paymentBooked(other, 5_000n, 175n, new Date('2026-11-23T00:00:00.000Z')));
    await recorder.handle(payments.refund(card, 'refund.created', 're_1', 100n, new Date('2026-11-23T00:00:01.000Z')));
    expect((await recorder.records()).map((r) => r.tradeNo)).toEqual(['PG20261122000000000001', 'PG20261123000000000001', 'PG20261123000000000002']);
  });
});

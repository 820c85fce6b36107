import { describe, expect, it } from 'vitest';
import { money } from '../../../lib/money.js';
import { assertBalanced, type JournalDraft } from './journal-draft.js';
import { captureJournal, refundJournal, settlementJournal } from './journals.js';

const payment = { paymentId: 'pay_1', merchantId: 'mer_1', channel: 'CARD', currency: 'USD' };
const usd = (minor: bigint) => money(minor, 'USD');
const origin = { eventId: 'payment:7', occurredAt: new Date('2026-11-22T03:19:58.123Z') };
const lines = (draft: JournalDraft) => draft.entries.map((e) => [e.side, e.account, e.amount]);

describe('captureJournal', () => {
  it('books 100.00 USD with a 3.20 fee: provider clearing 100.00 / merchant pending 96.80 / platform fees 3.20', () => {
    const journal = captureJournal(payment, usd(10_000n), usd(320n), origin);
    expect(journal).toMatchObject({ type: 'capture', paymentId: 'pay_1', merchantId: 'mer_1', currency: 'USD', eventId: 'payment:7' });
    expect(lines(journal)).toEqual([
      ['DEBIT', 'provider:CARD:clearing', 10_000n],
      ['CREDIT', 'merchant:mer_1:pending', 9_680n],
      ['CREDIT', 'platform:fees', 320n],
    ]);
    expect(() => assertBalanced(journal)).not.toThrow();
  });

  it('books a partial capture on the amount captured, with the fee of that amount', () => {
    const journal = captureJournal({ ...payment, channel: 'ALIPAY' }, usd(6_000n), usd(150n), origin);
    expect(lines(journal)).toEqual([
      ['DEBIT', 'provider:ALIPAY:clearing', 6_000n],
      ['CREDIT', 'merchant:mer_1:pending', 5_850n],
      ['CREDIT', 'platform:fees', 150n],
    ]);
    expect(() => assertBalanced(journal)).not.toThrow();
  });

  it('leaves out a zero fee, and a zero net when the fee takes all', () => {
    expect(lines(captureJournal(payment, usd(500n), usd(0n), origin))).toEqual([
      ['DEBIT', 'provider:CARD:clearing', 500n],
      ['CREDIT', 'merchant:mer_1:pending', 500n],
    ]);
    expect(lines(captureJournal(payment, usd(30n), usd(30n), origin))).toEqual([
      ['DEBIT', 'provider:CARD:clearing', 30n],
      ['CREDIT', 'platform:fees', 30n],
    ]);
  });
});

describe('refundJournal', () => {
  it('before settlement takes the refund from the merchant pending account; the fee stays with the platform', () => {
    const journal = refundJournal(payment, usd(2_500n), false, origin);
    expect(journal.type).toBe('refund');
    expect(lines(journal)).toEqual([
      ['DEBIT', 'merchant:mer_1:pending', 2_500n],
      ['CREDIT', 'provider:CARD:clearing', 2_500n],
    ]);
    expect(() => assertBalanced(journal)).not.toThrow();
  });

  it('after settlement takes it from the available account', () => {
    expect(lines(refundJournal(payment, usd(10_000n), true, origin))).toEqual([
      ['DEBIT', 'merchant:mer_1:available', 10_000n],
      ['CREDIT', 'provider:CARD:clearing', 10_000n],
    ]);
  });
});

describe('settlementJournal', () => {
  it('moves what remains pending to available', () => {
    const journal = settlementJournal(payment, usd(7_180n), { eventId: null, occurredAt: origin.occurredAt });
    expect(journal).toMatchObject({ type: 'settlement', eventId: null });
    expect(lines(journal)).toEqual([
      ['DEBIT', 'merchant:mer_1:pending', 7_180n],
      ['CREDIT', 'merchant:mer_1:available', 7_180n],
    ]);
    expect(() => assertBalanced(journal)).not.toThrow();
  });

  it('moves a shortfall (refunds beyond the net, the fee kept) from available to pending', () => {
    expect(lines(settlementJournal(payment, usd(-320n), origin))).toEqual([
      ['DEBIT', 'merchant:mer_1:available', 320n],
      ['CREDIT', 'merchant:mer_1:pending', 320n],
    ]);
  });
});

describe('assertBalanced', () => {
  const base = captureJournal(payment, usd(10_000n), usd(320n), origin);

  it('throws on a journal whose debits and credits differ', () => {
    const entries = base.entries.map((e, i) => (i === 2 ? { ...e, amount: 319n } : e));
    expect(() => assertBalanced({ ...base, entries })).toThrow(/does not balance in USD/);
  });

  it('balances per currency, not across currencies', () => {
    const entries = [
      { account: 'a', side: 'DEBIT' as const, currency: 'USD', amount: 100n },
      { account: 'b', side: 'CREDIT' as const, currency: 'EUR', amount: 100n },
    ];
    expect(() => assertBalanced({ ...base, entries })).toThrow(/does not balance/);
  });

  it('throws on zero or negative entries and on fewer than two', () => {
    expect(() => assertBalanced({ ...base, entries: base.entries.map((e) => ({ ...e, amount: 0n })) })).toThrow(/not positive/);
    expect(() => assertBalanced({ ...base, entries: [] })).toThrow(/fewer than two/);
  });
});

import { describe, expect, it } from 'vitest';
import { money } from '../../../lib/money.js';
import { matchStatement, type OurRecord, type ProviderLine } from './reconciliation-match.js';

const date = '2026-11-22';
const at = new Date('2026-11-22T10:00:00Z');
const payment = (id: string, amount: bigint, reference = `auth_${id}`): OurRecord => ({
  kind: 'PAYMENT', paymentId: id, refundId: null, providerReference: reference, amount: money(amount, 'USD'), status: 'SUCCEEDED', date,
});
const refund = (paymentId: string, refundId: string, amount: bigint): OurRecord => ({
  ...payment(paymentId, amount), kind: 'REFUND', refundId,
});
const lineOf = (record: OurRecord, changes: Partial<ProviderLine> = {}): ProviderLine => ({
  kind: record.kind, providerReference: record.providerReference!, paymentId: record.paymentId, refundId: record.refundId,
  amount: record.amount, status: 'SUCCEEDED', occurredAt: at, ...changes,
});

const a = payment('pay_a', 10_000n);
const aRefund = refund('pay_a', 'ref_a1', 2_500n);
const b = payment('pay_b', 500n);

function run(statement: ProviderLine[], expected: OurRecord[], known: OurRecord[] = []) {
  return matchStatement({ channel: 'CARD', date, statement, expected, known });
}

describe('matchStatement', () => {
  it('matches a clean day one-to-one: a payment and its refund share the provider reference, not the item', () => {
    expect(run([lineOf(a), lineOf(aRefund), lineOf(b)], [a, aRefund, b])).toEqual({ matched: 3, discrepancies: [] });
  });

  it('finds each kind of difference, with ours as expected and theirs as actual', () => {
    const stranger: ProviderLine = { ...lineOf(b), paymentId: 'pay_x', providerReference: 'auth_x' };
    const result = run([lineOf(a, { amount: money(10_001n, 'USD') }), lineOf(aRefund), lineOf(aRefund), stranger, lineOf(b, { status: 'FAILED' })], [a, aRefund, b, payment('pay_c', 700n)]);
    expect(result.matched).toBe(1);
    expect(result.discrepancies.map((d) => [d.type, d.paymentId, d.expected?.minor ?? null, d.actual?.minor ?? null])).toEqual([
      ['AMOUNT_MISMATCH', 'pay_a', 10_000n, 10_001n],
      ['DUPLICATE', 'pay_a', null, 2_500n],
      ['STATUS_MISMATCH', 'pay_b', 500n, 500n],
      ['MISSING_PROVIDER', 'pay_c', 700n, null],
      ['MISSING_INTERNAL', 'pay_x', null, 500n],
    ]);
    expect(result.discrepancies[0]!.detail).toBe("CARD's statement of 2026-11-22 lists payment pay_a (provider reference auth_pay_a) at 100.01 USD; our records say 100.00 USD.");
    expect(result.discrepancies[1]!.detail).toBe("CARD's statement of 2026-11-22 lists refund ref_a1 of payment pay_a (provider reference auth_pay_a, 25.00 USD) more than once.");
    expect(result.discrepancies[3]!.detail).toBe("Our payment pay_c (provider reference auth_pay_c) of 7.00 USD succeeded on 2026-11-22; CARD's statement of 2026-11-22 does not list it.");
    expect(result.discrepancies[4]!.detail).toBe("CARD's statement of 2026-11-22 lists payment pay_x (provider reference auth_x, 5.00 USD, SUCCEEDED); we have no record of it.");
  });

  it('does not depend on the order of the statement or of our records', () => {
    const statement = [lineOf(b, { status: 'FAILED' }), lineOf(a, { amount: money(1n, 'USD') }), { ...lineOf(b), paymentId: 'pay_y' }, lineOf(aRefund), lineOf(aRefund)];
    const records = [a, aRefund, b, payment('pay_c', 700n)];
    expect(run([...statement].reverse(), [...records].reverse())).toEqual(run(statement, records));
  });

  it('tells a payment we hold as failed, or as succeeded on another day, from one we never heard of', () => {
    const declined: OurRecord = { ...payment('pay_d', 999n), status: 'FAILED', date: null };
    const yesterday: OurRecord = { ...payment('pay_e', 300n), date: '2026-11-21' };
    const result = run([lineOf(declined), lineOf(yesterday)], [], [declined, yesterday]);
    expect(result.discrepancies.map((d) => [d.type, d.paymentId])).toEqual([['STATUS_MISMATCH', 'pay_d'], ['MISSING_INTERNAL', 'pay_e']]);
    expect(result.discrepancies[0]!.detail).toContain('as SUCCEEDED; it is FAILED in our records');
    expect(result.discrepancies[1]!.detail).toContain('our records have it succeeding on 2026-11-21, not on this day');
    // a failure the provider lists as failed agrees with us
    expect(run([lineOf(declined, { status: 'CLOSED' })], [], [declined])).toEqual({ matched: 1, discrepancies: [] });
  });

  it('does not match our payment under another provider reference, and counts a currency difference as an amount mismatch', () => {
    const other = run([lineOf(a, { providerReference: 'auth_other' })], [a]);
    expect(other.discrepancies.map((d) => d.type)).toEqual(['MISSING_INTERNAL', 'MISSING_PROVIDER']);
    expect(other.discrepancies[0]!.detail).toContain('we know payment pay_a under provider reference auth_pay_a');
    const euros = run([lineOf(a, { amount: money(a.amount.minor, 'EUR') })], [a]);
    expect(euros.discrepancies).toMatchObject([{ type: 'AMOUNT_MISMATCH', expected: { currency: 'USD' }, actual: { currency: 'EUR' } }]);
  });
});

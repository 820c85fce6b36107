import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJournal, chainHash, GENESIS_HASH, type CanonicalJournal } from './chain-hash.js';

const journal: CanonicalJournal = {
  sequence: 1,
  id: 'jrn_01jd3x0000000000000000000',
  type: 'capture',
  paymentId: 'pay_01jd3x',
  merchantId: 'mer_01jd3x',
  currency: 'USD',
  occurredAt: new Date('2026-11-22T03:19:58.120Z'),
  entries: [
    { id: 'le_a', account: 'provider:CARD:clearing', side: 'DEBIT', currency: 'USD', amount: 10_000n },
    { id: 'le_b', account: 'merchant:mer_01jd3x:pending', side: 'CREDIT', currency: 'USD', amount: 9_680n },
    { id: 'le_c', account: 'platform:fees', side: 'CREDIT', currency: 'USD', amount: 320n },
  ],
};

describe('canonicalJournal', () => {
  it('is a JSON array in the fixed field order, UTC milliseconds, amounts as minor-unit strings', () => {
    expect(canonicalJournal(journal)).toBe(
      '[1,"jrn_01jd3x0000000000000000000","capture","pay_01jd3x","mer_01jd3x","USD","2026-11-22T03:19:58.120Z",' +
        '[["le_a","provider:CARD:clearing","DEBIT","USD","10000"],' +
        '["le_b","merchant:mer_01jd3x:pending","CREDIT","USD","9680"],' +
        '["le_c","platform:fees","CREDIT","USD","320"]]]',
    );
  });

  it('writes amounts beyond 2^53 exactly', () => {
    const big = { ...journal, entries: [{ ...journal.entries[0]!, amount: 9_223_372_036_854_775_807n }] };
    expect(canonicalJournal(big)).toContain('"9223372036854775807"');
  });
});

describe('chainHash', () => {
  it('is SHA-256 over the previous hash in hex followed by the canonical journal', () => {
    const expected = createHash('sha256').update(GENESIS_HASH + canonicalJournal(journal)).digest('hex');
    expect(chainHash(GENESIS_HASH, journal)).toBe(expected);
  });

  // Pinned once (and checked with an independent implementation): a change here means every stored chain stops verifying.
  it('matches the pinned vector', () => {
    const first = chainHash(GENESIS_HASH, journal);
    expect(first).toBe('45eaa5e4ab598330a4d7bda5708964e72f4726d114cab8ac502b62c3ea97e3ea');
    expect(chainHash(first, { ...journal, sequence: 2, id: 'jrn_2', type: 'refund' })).toBe('f5460102c8276061a7b9c5895558700e8edcf34258e2a24aa40e15e7af3654b3');
  });

  it('changes with any field, the order of entries and the previous hash', () => {
    const base = chainHash(GENESIS_HASH, journal);
    const [a, b, c] = journal.entries;
    expect(chainHash(GENESIS_HASH, { ...journal, entries: [b!, a!, c!] })).not.toBe(base);
    expect(chainHash(GENESIS_HASH, { ...journal, entries: [a!, b!, { ...c!, amount: 321n }] })).not.toBe(base);
    expect(chainHash(GENESIS_HASH, { ...journal, occurredAt: new Date('2026-11-22T03:19:58.121Z') })).not.toBe(base);
    expect(chainHash('1'.repeat(64), journal)).not.toBe(base);
  });
});

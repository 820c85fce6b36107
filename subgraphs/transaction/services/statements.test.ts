import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../../lib/errors.js';
import type { Principal } from '../../../lib/principal.js';
import { AccountingStream, openTestDatabase, PaymentStream, testRecorder } from '../test-kit.js';
import { TestClock } from '../../../test/support/clock.js';
import { statementChunks, statementScope } from './statements.js';

const merchant: Principal = { role: 'MERCHANT', merchantId: 'mer_1', keyId: 'key_1' };
const boundAnalyst: Principal = { role: 'ANALYST', merchantId: 'mer_1', keyId: 'key_2' };
const platformAnalyst: Principal = { role: 'ANALYST', merchantId: null, keyId: 'key_3' };
const admin: Principal = { role: 'ADMIN', merchantId: null, keyId: null };
const range = { from: '2026-11-01', to: '2026-12-01T00:00:00Z' };

function refusal(run: () => unknown): [string, string] {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return [error.code, error.message];
    throw error;
  }
  throw new Error('not refused');
}

describe('statementScope', () => {
  it('a merchant-bound key reads its own merchant’s, named or not', () => {
    const scope = { merchantId: 'mer_1', from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
    expect(statementScope(merchant, range)).toEqual(scope);
    expect(statementScope(merchant, { ...range, merchantId: 'mer_1' })).toEqual(scope);
    expect(statementScope(boundAnalyst, range)).toEqual(scope);
    expect(refusal(() => statementScope(merchant, { ...range, merchantId: 'mer_2' }))[0]).toBe('FORBIDDEN');
    expect(refusal(() => statementScope(boundAnalyst, { ...range, merchantId: 'mer_2' }))[0]).toBe('FORBIDDEN');
  });

  it('ADMIN and a platform-wide ANALYST name the merchant', () => {
    expect(statementScope(admin, { ...range, merchantId: 'mer_2' }).merchantId).toBe('mer_2');
    expect(statementScope(platformAnalyst, { ...range, merchantId: 'mer_2' }).merchantId).toBe('mer_2');
    expect(refusal(() => statementScope(admin, range))).toEqual(['BAD_USER_INPUT', 'merchantId: is required with a platform-wide key']);
  });

  it.each([
    [{ from: '2026-12-01', to: '2026-11-01' }, 'to: must be after from'],
    [{ from: '2026-11-01', to: '2026-11-01T00:00:00.000Z' }, 'to: must be after from'],
    [{ to: '2026-11-01' }, 'from: is required'],
    [{ from: '2026-11-01' }, 'to: is required'],
    [{ from: '2026-11-01T10:00', to: '2026-12-01' }, 'from: must be an ISO-8601'],
    [{ from: '2026-13-45', to: '2026-12-01' }, 'from: must be an ISO-8601'],
    [{ from: 20261101, to: '2026-12-01' }, 'from: must be an ISO-8601'],
    [{ ...range, merchantId: 7 }, 'merchantId: must be a merchant id'],
  ])('%j is BAD_USER_INPUT: %s', (request, message) => {
    const [code, text] = refusal(() => statementScope(admin, { merchantId: 'mer_1', ...request }));
    expect(code).toBe('BAD_USER_INPUT');
    expect(text).toContain(message);
  });
});

describe('statementChunks', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const queries: string[] = [];
  beforeEach(async () => {
    database = await openTestDatabase((sql) => void queries.push(sql));
    const recorder = testRecorder(database, new TestClock(new Date('2026-11-22T00:00:00Z')));
    const payments = new PaymentStream();
    const accounting = new AccountingStream();
    for (let i = 0; i < 7; i++) {
      const payment = { paymentId: `pay_${i}`, merchantId: i === 3 ? 'mer_2' : 'mer_1', currency: i === 6 ? 'KWD' : 'USD' };
      await recorder.handle(accounting.paymentBooked(payment, BigInt(10_001 + i), 321n, new Date(Date.UTC(2026, 10, 22, 10, i))));
    }
    await recorder.handle(payments.refund({ paymentId: 'pay_0', merchantId: 'mer_1' }, 'refund.created', 're_1', 500n, new Date(Date.UTC(2026, 10, 22, 10, 30))));
    queries.length = 0;
  });
  afterEach(() => database.remove());

  const rowsOf = (text: string) => text.split('\r\n').slice(1, -1).map((line) => line.split(','));

  it('the header, then the merchant’s records of [from, to) oldest first, amounts with their currency’s decimals', async () => {
    const scope = { merchantId: 'mer_1', from: new Date(Date.UTC(2026, 10, 22, 10, 1)), to: new Date(Date.UTC(2026, 10, 22, 10, 30)) };
    let text = '';
    for await (const chunk of statementChunks(database.fork(), scope, 2)) text += chunk;
    expect(text.split('\r\n')[0]).toBe('trade_no,occurred_at,type,direction,status,channel,currency,amount,fee,net,transaction_id,payment_id,refund_id');
    expect(rowsOf(text).map((row) => [row[1], row[11], row[6], row[7], row[8], row[9]])).toEqual([
      ['2026-11-22T10:01:00.000Z', 'pay_1', 'USD', '100.02', '3.21', '96.81'],
      ['2026-11-22T10:02:00.000Z', 'pay_2', 'USD', '100.03', '3.21', '96.82'],
      ['2026-11-22T10:04:00.000Z', 'pay_4', 'USD', '100.05', '3.21', '96.84'],
      ['2026-11-22T10:05:00.000Z', 'pay_5', 'USD', '100.06', '3.21', '96.85'],
      // KWD has three decimals
      ['2026-11-22T10:06:00.000Z', 'pay_6', 'KWD', '10.007', '0.321', '9.686'],
    ]);
  });

  it('reads a batch only when the previous one has been taken', async () => {
    const scope = { merchantId: 'mer_1', from: new Date(0), to: new Date('2100-01-01') };
    const chunks = statementChunks(database.fork(), scope, 2);
    const reads = () => queries.filter((sql) => sql.includes('select')).length;
    await chunks.next();
    expect(reads()).toBe(0);
    await chunks.next();
    expect(reads()).toBe(1);
    await chunks.next();
    expect(reads()).toBe(2);
    const rest: string[] = [];
    for await (const chunk of chunks) rest.push(chunk);
    // seven records: batches of 2, 2, 2, 1; the last short batch ends the statement
    expect(reads()).toBe(4);
    expect(rest).toHaveLength(2);
  });
});

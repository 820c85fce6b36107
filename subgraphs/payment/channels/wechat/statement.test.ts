import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { money } from '../../../../lib/money.js';
import { chinaDate } from '../../../../simulators/wechat/state.js';
import type { Payment } from '../../entities/Payment.js';
import type { StatementLine } from '../channel.js';
import { startWechatPayKit, wechatPayment, wechatRefund, type WechatPayKit } from '../../../../test/support/wechat-channel-kit.js';
import { eventually } from '../../../../test/support/eventually.js';

let kit: WechatPayKit;
let first: Payment;
let second: Payment;
let firstReference: string;
const refund = { id: '' };
const today = chinaDate(new Date());

async function pay(amount: bigint): Promise<{ payment: Payment; reference: string }> {
  const payment = wechatPayment(amount);
  const outcome = await kit.channel.confirm(payment, null);
  if (outcome.kind !== 'requires_action') throw new Error('no QR code');
  const placed = { ...payment, nextAction: outcome.nextAction };
  await kit.channel.sandboxPayerAction(placed, 'APPROVE');
  const paid = await kit.channel.query(placed);
  if (paid.kind !== 'captured') throw new Error('not paid');
  return { payment: { ...placed, providerReference: paid.providerReference }, reference: paid.providerReference };
}

beforeAll(async () => {
  kit = await startWechatPayKit();
  ({ payment: first, reference: firstReference } = await pay(12_345n));
  ({ payment: second } = await pay(600n));
  const partial = wechatRefund(first, 2_345n);
  refund.id = partial.id;
  await kit.channel.refund(first, partial);
  await eventually(() => kit.channel.queryRefund(first, partial), (answer) => answer.status === 'SUCCEEDED', { what: 'the refund to settle' });
});
afterAll(async () => {
  await kit.close();
});
afterEach(async () => {
  await kit.sandbox(`/bills/${today}/corruptions`, undefined, 'DELETE');
});

const ours = (lines: StatementLine[]) => lines.filter((line) => line.paymentId === first.id || line.paymentId === second.id);

describe('WeChat Pay statement (trade bill)', () => {
  it("fetches today's ALL bill, checks its SHA1 and reads its payments and refunds", async () => {
    const lines = ours(await kit.channel.fetchStatement(today));
    expect(lines).toEqual([
      { kind: 'PAYMENT', providerReference: firstReference, paymentId: first.id, refundId: null, amount: money(12_345n, 'CNY'), status: 'SUCCEEDED', occurredAt: expect.any(Date) },
      { kind: 'PAYMENT', providerReference: second.providerReference, paymentId: second.id, refundId: null, amount: money(600n, 'CNY'), status: 'SUCCEEDED', occurredAt: expect.any(Date) },
      { kind: 'REFUND', providerReference: firstReference, paymentId: first.id, refundId: refund.id, amount: money(2_345n, 'CNY'), status: 'SUCCEEDED', occurredAt: expect.any(Date) },
    ]);
    expect(Math.abs(lines[0]!.occurredAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('has no lines for a day without trades (NO_STATEMENT_EXIST), and refuses a future day or a malformed date', async () => {
    expect(await kit.channel.fetchStatement('2020-01-01')).toEqual([]);
    await expect(kit.channel.fetchStatement('2999-01-01')).rejects.toMatchObject({ code: 'PROVIDER_REJECTED' });
    await expect(kit.channel.fetchStatement('yesterday')).rejects.toMatchObject({ code: 'PROVIDER_REJECTED' });
  });

  it('refuses a bill altered after WeChat Pay hashed it', async () => {
    await kit.sandbox(`/bills/${today}/tamper`);
    await expect(kit.channel.fetchStatement(today)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringContaining('SHA1') });
  });

  it('shows what the sandbox makes wrong in the bill: a line dropped, added, duplicated, an amount or a status changed', async () => {
    const corrupt = (body: unknown) => kit.sandbox(`/bills/${today}/corruptions`, body);
    await corrupt({ kind: 'DROP', reference: second.id });
    await corrupt({ kind: 'ADD', amount: 999 });
    await corrupt({ kind: 'DUPLICATE', reference: first.id });
    await corrupt({ kind: 'CHANGE_AMOUNT', reference: first.id, amount: 12_000 });
    await corrupt({ kind: 'CHANGE_STATUS', reference: refund.id });
    const lines = await kit.channel.fetchStatement(today);
    const mine = ours(lines);
    expect(mine.map((line) => [line.kind, line.paymentId, line.amount.minor, line.status])).toEqual([
      ['PAYMENT', first.id, 12_000n, 'SUCCEEDED'],
      ['PAYMENT', first.id, 12_345n, 'SUCCEEDED'],
      ['REFUND', first.id, 2_345n, 'FAILED'],
    ]);
    expect(lines.filter((line) => line.paymentId.startsWith('unknown_'))).toMatchObject([{ kind: 'PAYMENT', amount: money(999n, 'CNY'), status: 'SUCCEEDED' }]);
  });

  it('changes a payment line to REVOKED (CLOSED in our terms) when asked', async () => {
    await kit.sandbox(`/bills/${today}/corruptions`, { kind: 'CHANGE_STATUS', reference: second.id });
    const line = ours(await kit.channel.fetchStatement(today)).find((l) => l.paymentId === second.id);
    expect(line?.status).toBe('CLOSED');
  });
});

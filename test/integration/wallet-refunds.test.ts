import { afterEach, describe, expect, it } from 'vitest';
import { systemForFile } from '../support/file-system.js';
import { errorCode, getPayment, refund, uniqueKey } from '../support/payments.js';
import { ledgerOf, settled } from '../support/accounting.js';
import { expectNoErrors } from '../support/graphql.js';
import { cny, paidWalletPayment, refundEvents } from '../support/wallet-refunds.js';
import { WALLETS } from '../support/wallets.js';

// What Alipay and WeChat Pay refunds share; each channel's own behaviour (its notifications, its faults) is in its own file.
const running = systemForFile();

describe.each(WALLETS)('$channel refunds', (wallet) => {
  afterEach(async () => {
    await wallet.clearFaults(running.system);
  });

  it('partial and several refunds settle SUCCEEDED, each booked once, up to what was paid', async () => {
    const { system, key } = running;
    const payment = await paidWalletPayment(system, key, wallet, '100.00');
    const first = expectNoErrors(await refund(system, key, payment.id, cny('30.00'))).refundPayment;
    expect(first.amount).toEqual({ amount: '30.00', currency: 'CNY', minorUnits: '3000' });
    expect(await wallet.settleRefund(system, key, payment.id, first)).toBe('SUCCEEDED');
    const second = expectNoErrors(await refund(system, key, payment.id, cny('20.00'))).refundPayment;
    expect(await wallet.settleRefund(system, key, payment.id, second)).toBe('SUCCEEDED');
    expect(second.payment.amountRefunded.amount).toBe('50.00');

    expect(errorCode(await refund(system, key, payment.id, cny('50.01')))).toBe('AMOUNT_TOO_LARGE');
    const rest = expectNoErrors(await refund(system, key, payment.id)).refundPayment;
    expect(rest.amount.amount).toBe('50.00');
    expect(rest.payment.amountRefunded.amount).toBe('100.00');
    expect(await wallet.settleRefund(system, key, payment.id, rest)).toBe('SUCCEEDED');

    const settledPayment = await getPayment(system, key, payment.id);
    expect(settledPayment.refunds.map((r) => [r.id, r.status, r.amount.amount]).sort()).toEqual(
      [[first.id, 'SUCCEEDED', '30.00'], [second.id, 'SUCCEEDED', '20.00'], [rest.id, 'SUCCEEDED', '50.00']].sort(),
    );
    expect(settledPayment.amountRefunded.amount).toBe('100.00');
    expect(await refundEvents(system, payment.id, 'refund.succeeded')).toBe(3);

    await settled(system);
    const ledger = await ledgerOf(system, key, payment.id);
    const refunds = ledger.ledgerEntries.filter((entry: any) => entry.account === `provider:${wallet.channel}:clearing` && entry.side === 'CREDIT');
    expect(refunds.map((entry: any) => entry.amount.amount).sort()).toEqual(['20.00', '30.00', '50.00']);
  });

  it('a refund is idempotent by its key: the same request again is the same refund, made once at the wallet', async () => {
    const { system, key } = running;
    const payment = await paidWalletPayment(system, key, wallet, '40.00');
    const idempotencyKey = uniqueKey('refund');
    const first = expectNoErrors(await refund(system, key, payment.id, cny('15.00'), idempotencyKey)).refundPayment;
    const again = expectNoErrors(await refund(system, key, payment.id, cny('15.00'), idempotencyKey)).refundPayment;
    expect(again.id).toBe(first.id);
    expect(again.payment.amountRefunded.amount).toBe('15.00');
    expect(await wallet.settleRefund(system, key, payment.id, first)).toBe('SUCCEEDED');
    expect(await refundEvents(system, payment.id, 'refund.succeeded')).toBe(1);
  });

  it("a refund whose outcome notification is lost stays PENDING, its amount reserved, until the recovery job's refund query settles it", async () => {
    const { system, key } = running;
    const payment = await paidWalletPayment(system, key, wallet, '80.00');
    await wallet.loseNextRefundOutcome(system);
    const pending = expectNoErrors(await refund(system, key, payment.id, cny('33.33'))).refundPayment;
    expect(pending.status).toBe('PENDING');
    expect(pending.payment.amountRefunded.amount).toBe('33.33');
    await wallet.refundOutcomeLost(system, payment.id);
    // a second refund cannot take what the PENDING one reserved
    expect(errorCode(await refund(system, key, payment.id, cny('46.68')))).toBe('AMOUNT_TOO_LARGE');

    expect((await system.payment.runRecovery()).refunds).toBe(0);
    expect((await getPayment(system, key, payment.id)).refunds).toMatchObject([{ id: pending.id, status: 'PENDING' }]);
    system.clock.advance(2 * 60_000);
    expect((await system.payment.runRecovery()).refunds).toBe(1);
    const recovered = await getPayment(system, key, payment.id);
    expect(recovered.refunds).toMatchObject([{ id: pending.id, status: 'SUCCEEDED', amount: { amount: '33.33' } }]);
    expect(recovered.amountRefunded.amount).toBe('33.33');
    // asked again later, nothing changes twice
    system.clock.advance(2 * 60_000);
    expect((await system.payment.runRecovery()).refunds).toBe(0);
    expect(await refundEvents(system, payment.id, 'refund.succeeded')).toBe(1);

    await settled(system);
    const ledger = await ledgerOf(system, key, payment.id);
    expect(ledger.ledgerEntries.filter((entry: any) => entry.account === `provider:${wallet.channel}:clearing` && entry.side === 'CREDIT')).toHaveLength(1);
  });

  it('a refund of a payment that was not paid is refused before the wallet is asked', async () => {
    const payment = await wallet.awaitingPayer(running.system, running.key);
    expect(errorCode(await refund(running.system, running.key, payment.id, cny('1.00')))).toBe('INVALID_STATE');
  });
});

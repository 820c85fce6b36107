import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import { systemForFile } from '../support/file-system.js';
import { countRows, uniqueKey } from '../support/payments.js';

const running = systemForFile();

/** The payment service as a deployment with only the CARD channel configured runs it (production without ALIPAY_APP_ID or WECHATPAY_MCHID). */
function cardOnly() {
  return running.system.payment.servicesWith({ CARD: running.system.payment.channels.CARD! }).payments;
}

async function merchant(): Promise<Principal> {
  const { merchantId } = await running.system.seedMerchant('Card only');
  return { role: 'MERCHANT', merchantId, keyId: null };
}

/** what a createPayment could write: the payment, its event in the outbox, the idempotency key */
const written = () => Promise.all(['payments', 'outbox', 'idempotency_keys'].map((table) => countRows(running.system, table)));

describe('a channel that is off takes no payment', () => {
  it.each(['ALIPAY', 'WECHAT_PAY'] as const)('createPayment on %s: BAD_USER_INPUT naming the channel, nothing written', async (channel) => {
    const principal = await merchant();
    const before = await written();
    const refused = await cardOnly()
      .create(principal, { amount: { amount: '88.00', currency: 'CNY' }, channel, idempotencyKey: uniqueKey('off') })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', message: `input.channel: ${channel} is not enabled on this platform`, details: { field: 'input.channel' } });
    // before the channel's own rules (CNY, AUTOMATIC): the first thing wrong is that the channel is off
    await expect(
      cardOnly().create(principal, { amount: { amount: '88.00', currency: 'USD' }, channel, captureMethod: 'MANUAL', idempotencyKey: uniqueKey('off') }),
    ).rejects.toMatchObject({ message: `input.channel: ${channel} is not enabled on this platform` });
    expect(await written()).toEqual(before);
  });

  it('the same key, once the channel is on, creates the payment: the refusal kept nothing of it', async () => {
    const principal = await merchant();
    const input = { amount: { amount: '12.00', currency: 'CNY' }, channel: 'ALIPAY' as const, idempotencyKey: uniqueKey('later') };
    await expect(cardOnly().create(principal, input)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    const payment = await running.system.payment.servicesWith(running.system.payment.channels).payments.create(principal, input);
    expect(payment).toMatchObject({ channel: 'ALIPAY', status: 'REQUIRES_CONFIRMATION' });
  });

  it('a payment made while its channel was on cannot be confirmed once it is off, and stays as it was', async () => {
    const principal = await merchant();
    const on = running.system.payment.servicesWith(running.system.payment.channels).payments;
    const payment = await on.create(principal, { amount: { amount: '20.00', currency: 'CNY' }, channel: 'WECHAT_PAY', idempotencyKey: uniqueKey('on') });
    await expect(cardOnly().confirm(principal, { paymentId: payment.id, idempotencyKey: uniqueKey('confirm') })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'channel: WECHAT_PAY is not enabled on this platform',
    });
    expect(await countRows(running.system, 'payments', 'id = ? and status = ?', [payment.id, 'REQUIRES_CONFIRMATION'])).toBe(1);
  });
});

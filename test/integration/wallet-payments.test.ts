import { describe, expect, it } from 'vitest';
import { systemForFile } from '../support/file-system.js';
import { countRows, errorCode, uniqueKey } from '../support/payments.js';
import { expectNoErrors } from '../support/graphql.js';
import { WALLETS } from '../support/wallets.js';

// What Alipay and WeChat Pay (Native) payments share; each channel's own behaviour is in its own file.
const running = systemForFile();

describe.each(WALLETS)('$channel payments', (wallet) => {
  it('confirmation is idempotent: the same key answers the same QR code without a second order', async () => {
    const { system, key } = running;
    const payment = await wallet.create(system, key);
    const idempotencyKey = uniqueKey(`confirm-${wallet.channel}`);
    const first = expectNoErrors(await wallet.confirm(system, key, payment.id, idempotencyKey)).confirmPayment;
    const second = expectNoErrors(await wallet.confirm(system, key, payment.id, idempotencyKey)).confirmPayment;
    expect(second.nextAction).toEqual(first.nextAction);
    expect(await countRows(system, 'outbox', 'aggregate_id = ?', [payment.id])).toBe(3);
  });

  it('refuses what the wallet cannot do: MANUAL capture, another currency than CNY, a card', async () => {
    const { system, key } = running;
    const create = (input: Record<string, unknown>) =>
      system.query<{ createPayment: { id: string } }>(key, 'mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }', {
        input: { amount: { amount: '10.00', currency: 'CNY' }, channel: wallet.channel, idempotencyKey: uniqueKey('bad'), ...input },
      });
    const manual = await create({ captureMethod: 'MANUAL' });
    expect(errorCode(manual)).toBe('BAD_USER_INPUT');
    expect(manual.errors?.[0]?.message).toMatch(new RegExp(`captureMethod: ${wallet.channel} payments are captured when the payer pays`));
    expect(errorCode(await create({ amount: { amount: '10.00', currency: 'USD' } }))).toBe('BAD_USER_INPUT');

    const payment = await wallet.create(system, key);
    const withCard = await system.query<{ confirmPayment: { id: string } }>(key, 'mutation($input: ConfirmPaymentInput!) { confirmPayment(input: $input) { id } }', {
      input: { paymentId: payment.id, card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' }, idempotencyKey: uniqueKey('c') },
    });
    expect(errorCode(withCard)).toBe('BAD_USER_INPUT');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../support/system.js';
import { errorCode, getPayment, payerAction } from '../support/payments.js';
import { alipayPaymentAwaitingPayer, confirmAlipay, createAlipayPayment } from '../support/alipay.js';

let system: System;
let key: string;

beforeAll(async () => {
  system = await startSystem();
  key = (await system.seedMerchant()).apiKey;
});
afterAll(async () => system?.stop());

describe('Alipay payments through the gateway', () => {
  it('smoke', async () => {
    const payment = await createAlipayPayment(system, key);
    const confirmed = await confirmAlipay(system, key, payment.id);
    console.log(JSON.stringify(confirmed));
    const approved = await payerAction(system, key, payment.id, 'APPROVE');
    console.log(JSON.stringify(approved));
    expect(approved.data.sandboxPayerAction.status).toBe('SUCCEEDED');
  });
});

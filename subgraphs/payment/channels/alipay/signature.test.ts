import { AlipaySdk } from 'alipay-sdk';
import { describe, expect, it } from 'vitest';
import { answerBody } from '../../../../simulators/alipay/answer.js';
import { rsa2Sign, rsa2Verify, signContent } from '../../../../simulators/alipay/signature.js';
import { parseNotification } from './notification.js';
import { testKeyPair } from '../../../../test/support/keys.js';

// Round trips between the official SDK (our side) and the simulator's own implementation of Alipay's
// rules (written from the documentation): each must accept exactly what the other signs.

const merchant = testKeyPair(1);
const alipay = testKeyPair(2);
const appId = '2021000000000042';
const sdk = new AlipaySdk({ appId, privateKey: merchant.privateKey, keyType: 'PKCS8', alipayPublicKey: alipay.publicKey, camelcase: false });

function notification(fields: Record<string, string>, key = alipay.privateKey): Buffer {
  const sign = rsa2Sign(signContent(fields, ['sign', 'sign_type']), key);
  return Buffer.from(new URLSearchParams({ ...fields, sign_type: 'RSA2', sign }).toString());
}

const paid = {
  notify_time: '2026-11-22 14:00:00',
  notify_type: 'trade_status_sync',
  notify_id: 'ac05099524730693a8b330c5ecf72da9786',
  app_id: appId,
  charset: 'utf-8',
  version: '1.0',
  trade_no: '2026112222001400000000000001',
  out_trade_no: 'pay_01m80yxmdm1fjx8d2hqbfh8z3a',
  trade_status: 'TRADE_SUCCESS',
  total_amount: '100.00',
  subject: '茶叶 2 盒 & more',
  gmt_payment: '2026-11-22 13:59:58',
};
const check = { sdk, appId, now: new Date('2026-11-22T06:00:30Z'), maxAgeMs: 25 * 3_600_000 };

describe('our requests, signed by the SDK, checked as the simulator checks them', () => {
  it('verify with our public key over every parameter but sign', () => {
    const signed = Object.fromEntries(new URLSearchParams(sdk.sdkExecute('alipay.trade.precreate', { bizContent: { out_trade_no: 'pay_1', total_amount: '1.00', subject: 'x' } })));
    expect(signed['sign_type']).toBe('RSA2');
    expect(JSON.parse(signed['biz_content']!)).toEqual({ out_trade_no: 'pay_1', total_amount: '1.00', subject: 'x' });
    expect(rsa2Verify(signContent(signed, ['sign']), signed['sign']!, merchant.publicKey)).toBe(true);
    const tampered: Record<string, string> = { ...signed, biz_content: signed['biz_content']!.replace('1.00', '0.01') };
    expect(rsa2Verify(signContent(tampered, ['sign']), signed['sign']!, merchant.publicKey)).toBe(false);
    expect(rsa2Verify(signContent(signed, ['sign']), signed['sign']!, alipay.publicKey)).toBe(false);
  });
});

describe("Alipay's answers, signed as the simulator signs them, checked by the SDK", () => {
  it('verify over the response object exactly as it appears in the body', () => {
    const body = answerBody('alipay.trade.precreate', { code: '10000', msg: 'Success', out_trade_no: 'pay_1', qr_code: 'https://qr.alipay.com/bax01' }, alipay.privateKey);
    const { sign } = JSON.parse(body) as { sign: string };
    expect(() => sdk.checkResponseSign(body, 'alipay_trade_precreate_response', sign, '')).not.toThrow();
    const tampered = body.replace('bax01', 'bax02');
    expect(() => sdk.checkResponseSign(tampered, 'alipay_trade_precreate_response', sign, '')).toThrow(/验签失败/);
    const forged = answerBody('alipay.trade.precreate', { code: '10000', msg: 'Success', qr_code: 'https://evil' }, merchant.privateKey);
    expect(() => sdk.checkResponseSign(forged, 'alipay_trade_precreate_response', (JSON.parse(forged) as { sign: string }).sign, '')).toThrow();
  });
});

describe('notifications, signed as the simulator signs them, parsed by the connector (SDK checkNotifySignV2)', () => {
  it('a genuine payment notification is the payment captured, named by its notify_id', () => {
    expect(parseNotification(notification(paid), check)).toEqual({
      kind: 'payment',
      paymentId: paid.out_trade_no,
      outcome: { kind: 'captured', providerReference: paid.trade_no },
      notificationId: paid.notify_id,
    });
  });

  it('a refund notification names our refund (out_biz_no)', () => {
    const body = notification({ ...paid, out_biz_no: 're_01m80', refund_fee: '30.00', gmt_refund: '2026-11-22 14:00:00.123' });
    expect(parseNotification(body, check)).toMatchObject({ kind: 'refund', paymentId: paid.out_trade_no, refundId: 're_01m80', outcome: { status: 'SUCCEEDED' } });
  });

  it('a closed trade is declined by the payer', () => {
    expect(parseNotification(notification({ ...paid, trade_status: 'TRADE_CLOSED' }), check)).toMatchObject({ outcome: { kind: 'declined', failureCode: 'PAYER_DECLINED' } });
  });

  it('refuses what is not authentic: tampered, forged, unsigned, another app, stale, from the future, repeated fields', () => {
    const genuine = notification(paid).toString();
    const refused = (body: string) => expect(parseNotification(Buffer.from(body), check)).toBeNull();
    refused(genuine.replace('100.00', '1.00'));
    refused(notification(paid, merchant.privateKey).toString());
    refused(new URLSearchParams(paid).toString());
    refused(notification({ ...paid, app_id: '2021000000009999' }).toString());
    refused(notification({ ...paid, notify_time: '2026-11-21 12:59:00' }).toString());
    refused(notification({ ...paid, notify_time: '2026-11-22 14:06:00' }).toString());
    refused(`${genuine}&trade_status=TRADE_SUCCESS`);
    expect(parseNotification(notification({ ...paid, notify_time: '2026-11-21 13:01:00' }), check)).not.toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationBody, type NotificationContent } from '../../../../simulators/wechat/notifier.js';
import { platformSignatureHeaders } from '../../../../simulators/wechat/reply.js';
import { startWechatPayKit, type WechatPayKit } from '../../../../test/support/wechat-channel-kit.js';
import { testKeyPair } from '../../../../test/support/keys.js';

let kit: WechatPayKit;

beforeAll(async () => {
  kit = await startWechatPayKit();
});
afterAll(async () => {
  await kit.close();
});

const paidEvent = (mchid: string, outTradeNo = 'pay_01jdexampleexampleexample00'): NotificationContent => ({
  eventType: 'TRANSACTION.SUCCESS',
  originalType: 'transaction',
  summary: '支付成功',
  resource: {
    appid: 'wxd678efh567hg6787', mchid, out_trade_no: outTradeNo, transaction_id: '4200000000000000000000000001', trade_type: 'NATIVE',
    trade_state: 'SUCCESS', trade_state_desc: '支付成功', success_time: '2024-05-20T13:29:35+08:00', amount: { total: 100, currency: 'CNY' },
  },
});

/** A notification as WeChat Pay would send it, with any part of it chosen by the test. */
function notification(options: { event?: NotificationContent; apiV3Key?: string; signingKey?: string; serial?: string; timestamp?: number } = {}) {
  const body = notificationBody(options.apiV3Key ?? kit.keys.apiV3Key, options.event ?? paidEvent(kit.keys.mchid));
  const platform = { serial: options.serial ?? kit.keys.platform.serial, privateKey: options.signingKey ?? kit.keys.platform.privateKey };
  const headers = Object.fromEntries(Object.entries(platformSignatureHeaders(platform, body, options.timestamp)).map(([k, v]) => [k.toLowerCase(), v]));
  return { body: Buffer.from(body), headers };
}

describe('WeChat Pay callbacks', () => {
  it('reads an authentic notification into a payment callback', async () => {
    const { body, headers } = notification();
    expect(await kit.channel.parseCallback(body, headers)).toEqual({
      kind: 'payment',
      paymentId: 'pay_01jdexampleexampleexample00',
      outcome: { kind: 'captured', providerReference: '4200000000000000000000000001' },
    });
  });

  it('reads the same notification delivered again the same way (duplicates are the service’s to ignore)', async () => {
    const { body, headers } = notification();
    expect(await kit.channel.parseCallback(body, headers)).toEqual(await kit.channel.parseCallback(body, headers));
  });

  it('refuses a notification signed by any key but the platform’s', async () => {
    const forger = testKeyPair(4).privateKey;
    const { body, headers } = notification({ signingKey: forger });
    expect(await kit.channel.parseCallback(body, headers)).toBeNull();
  });

  it('refuses a notification whose body was changed after signing', async () => {
    const { body, headers } = notification();
    const tampered = Buffer.from(body.toString('utf8').replace('"summary":"支付成功"', '"summary":"支付失败"'));
    expect(tampered.equals(body)).toBe(false);
    expect(await kit.channel.parseCallback(tampered, headers)).toBeNull();
  });

  it('refuses a notification more than five minutes old or ahead (a stale or replayed delivery)', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 301, now + 301, now - 3600]) {
      const { body, headers } = notification({ timestamp });
      expect(await kit.channel.parseCallback(body, headers)).toBeNull();
    }
    const { body, headers } = notification({ timestamp: now - 290 });
    expect(await kit.channel.parseCallback(body, headers)).not.toBeNull();
  });

  it('refuses an unsigned notification, one under another serial, and one not JSON', async () => {
    const { body, headers } = notification();
    expect(await kit.channel.parseCallback(body, {})).toBeNull();
    expect(await kit.channel.parseCallback(body, { ...headers, 'wechatpay-signature': undefined })).toBeNull();
    expect(await kit.channel.parseCallback(...args(notification({ serial: 'PUB_KEY_ID_0000000000000000000000000000000001' })))).toBeNull();
    expect(await kit.channel.parseCallback(Buffer.from('not json'), headers)).toBeNull();
  });

  it('refuses a correctly signed notification whose resource is not sealed under our APIv3 key', async () => {
    const { body, headers } = notification({ apiV3Key: 'fedcba9876543210fedcba9876543210' });
    expect(await kit.channel.parseCallback(body, headers)).toBeNull();
  });

  it('refuses a correctly signed and sealed notification for another merchant, or of an event it does not act on', async () => {
    expect(await kit.channel.parseCallback(...args(notification({ event: paidEvent('1900000999') })))).toBeNull();
    const closed: NotificationContent = { ...paidEvent(kit.keys.mchid), eventType: 'REFUND.SUCCESS' };
    expect(await kit.channel.parseCallback(...args(notification({ event: closed })))).toBeNull();
  });

  it('reads refund notifications: SUCCESS as SUCCEEDED, CLOSED and ABNORMAL as FAILED with REFUND_REJECTED', async () => {
    const refundEvent = (status: string): NotificationContent => ({
      eventType: status === 'SUCCESS' ? 'REFUND.SUCCESS' : 'REFUND.CLOSED',
      originalType: 'refund',
      summary: '退款',
      resource: {
        mchid: kit.keys.mchid, out_trade_no: 'pay_1', transaction_id: '4200000000000000000000000001', out_refund_no: 're_1',
        refund_id: '50300000000000000000000000001', refund_status: status, user_received_account: '支付用户零钱', amount: { total: 100, refund: 40, payer_total: 100, payer_refund: 40 },
      },
    });
    expect(await kit.channel.parseCallback(...args(notification({ event: refundEvent('SUCCESS') })))).toEqual({
      kind: 'refund', paymentId: 'pay_1', refundId: 're_1', outcome: { status: 'SUCCEEDED', providerReference: '50300000000000000000000000001', failureCode: null },
    });
    for (const status of ['CLOSED', 'ABNORMAL']) {
      expect(await kit.channel.parseCallback(...args(notification({ event: refundEvent(status) })))).toMatchObject({ outcome: { status: 'FAILED', failureCode: 'REFUND_REJECTED' } });
    }
  });
});

function args(n: { body: Buffer; headers: Record<string, string> }): [Buffer, Record<string, string>] {
  return [n.body, n.headers];
}

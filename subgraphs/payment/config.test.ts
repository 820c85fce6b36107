import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPaymentConfig, paymentSandbox } from './config.js';
import { testKeyPair } from '../../test/support/keys.js';

const dataDir = mkdtempSync(join(tmpdir(), 'paygraph-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const production = {
  NODE_ENV: 'production',
  DATA_DIR: dataDir,
  INTERNAL_SECRET: randomBytes(32).toString('hex'),
  CARD_PROVIDER_URL: 'https://acquirer.example',
  CARD_PROVIDER_API_KEY: 'k'.repeat(16),
  CARD_WEBHOOK_SECRET: 's'.repeat(16),
};
const privateKey = createPrivateKey(testKeyPair(1).privateKey);
const publicKey = createPublicKey(privateKey);
/** what Alipay's key tool hands out: the bare base64 of the DER keys */
const bare = {
  ALIPAY_PRIVATE_KEY: privateKey.export({ type: 'pkcs1', format: 'der' }).toString('base64'),
  ALIPAY_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
};

describe('loadPaymentConfig: Alipay and the recovery job', () => {
  it('in sandbox: the simulator, the sandbox app id and key pairs generated once under DATA_DIR', () => {
    const config = loadPaymentConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, INTERNAL_SECRET: 'x'.repeat(32) });
    expect(config.alipay).toMatchObject({ gatewayUrl: 'http://127.0.0.1:4102/gateway.do', appId: '2021000000000001', notifyMaxAgeMs: 25 * 3_600_000 });
    expect(config).toMatchObject({ qrCodeTtlMs: 15 * 60_000, recoveryIntervalMs: 30_000, recoveryAfterMs: 60_000 });
    expect(readdirSync(join(dataDir, 'secrets'))).toEqual(expect.arrayContaining(['alipay-app-key.pem', 'alipay-simulator-key.pem']));
    // the same keys on the next start: the simulator started separately agrees with them
    expect(loadPaymentConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, INTERNAL_SECRET: 'x'.repeat(32) }).alipay).toEqual(config.alipay);
    const ours = createPublicKey(createPrivateKey(config.alipay!.privateKey)).export({ type: 'spki', format: 'pem' });
    expect(ours).not.toBe(config.alipay!.alipayPublicKey);
  });

  it('in production: off without ALIPAY_APP_ID; with it, its URL and keys (PEM or bare base64) are required', () => {
    expect(loadPaymentConfig(production).alipay).toBeNull();
    const withApp = { ...production, ALIPAY_APP_ID: '2021004100000000', ALIPAY_GATEWAY_URL: 'https://openapi.alipay.com/gateway.do' };
    expect(() => loadPaymentConfig(withApp)).toThrow(/ALIPAY_PRIVATE_KEY: is required when ALIPAY_APP_ID is set/);
    const config = loadPaymentConfig({ ...withApp, ...bare });
    expect(config.alipay!.privateKey).toBe(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(config.alipay!.alipayPublicKey).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
    const pem = { ALIPAY_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n') };
    expect(loadPaymentConfig({ ...withApp, ...bare, ...pem }).alipay!.privateKey).toBe(config.alipay!.privateKey);
  });

  it.each([
    ['ALIPAY_APP_ID', { ALIPAY_APP_ID: 'app-1' }],
    ['ALIPAY_PRIVATE_KEY', { ALIPAY_PRIVATE_KEY: 'bm90IGEga2V5' }],
    ['ALIPAY_PUBLIC_KEY', { ALIPAY_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }],
    ['ALIPAY_GATEWAY_URL', { ALIPAY_GATEWAY_URL: 'gateway.do' }],
    ['PAYMENT_QR_TTL', { PAYMENT_QR_TTL: 'a while' }],
  ])('stops with a message naming %s', (name, env) => {
    expect(() => loadPaymentConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, INTERNAL_SECRET: 'x'.repeat(32), ...env })).toThrow(
      new RegExp(`payment subgraph: invalid configuration\\n  ${name}`),
    );
  });
});

describe('loadPaymentConfig: WeChat Pay', () => {
  const merchantKey = { privateKey: createPrivateKey(testKeyPair(2).privateKey) };
  const complete = {
    WECHATPAY_MCHID: '1230000109',
    WECHATPAY_APPID: 'wx8888888888888888',
    WECHATPAY_MERCHANT_SERIAL: '444F4864EA9B34415E2F67D8F2F1C7A7B3D90000',
    WECHATPAY_MERCHANT_PRIVATE_KEY: merchantKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n'),
    WECHATPAY_PLATFORM_SERIAL: 'PUB_KEY_ID_0114232134912410000000000000',
    WECHATPAY_PLATFORM_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    WECHATPAY_APIV3_KEY: 'a'.repeat(32),
  };

  it('in sandbox: the simulator on 4103, the sandbox merchant, keys and APIv3 key made once under DATA_DIR', () => {
    const sandbox = { NODE_ENV: 'test', DATA_DIR: dataDir, INTERNAL_SECRET: 'x'.repeat(32) };
    const config = loadPaymentConfig(sandbox).wechatPay!;
    expect(config).toMatchObject({ baseUrl: 'http://127.0.0.1:4103', mchid: '1900000109', platform: { serial: expect.stringMatching(/^PUB_KEY_ID_\d+$/) } });
    expect(config.apiV3Key).toMatch(/^[\w-]{32}$/);
    expect(readdirSync(join(dataDir, 'secrets'))).toEqual(expect.arrayContaining(['wechatpay-merchant-key.pem', 'wechatpay-simulator-key.pem', 'wechatpay-apiv3-key']));
    expect(loadPaymentConfig(sandbox).wechatPay).toEqual(config);
  });

  it('in production: off without WECHATPAY_MCHID; with it, every other value is required; the API is WeChat Pay\'s', () => {
    expect(loadPaymentConfig(production).wechatPay).toBeNull();
    expect(() => loadPaymentConfig({ ...production, ...complete, WECHATPAY_APIV3_KEY: undefined })).toThrow(
      /WECHATPAY_APIV3_KEY: is required when WECHATPAY_MCHID is set/,
    );
    const config = loadPaymentConfig({ ...production, ...complete }).wechatPay!;
    expect(config).toMatchObject({ baseUrl: 'https://api.mch.weixin.qq.com', mchid: '1230000109', appid: 'wx8888888888888888' });
    expect(config.merchant.privateKey).toBe(merchantKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(config.platform.publicKey).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
  });

  it.each([
    ['WECHATPAY_MCHID', { WECHATPAY_MCHID: 'mch-1' }],
    ['WECHATPAY_APIV3_KEY', { WECHATPAY_APIV3_KEY: 'short' }],
    ['WECHATPAY_MERCHANT_PRIVATE_KEY', { WECHATPAY_MERCHANT_PRIVATE_KEY: 'bm90IGEga2V5' }],
    ['WECHATPAY_PLATFORM_PUBLIC_KEY', { WECHATPAY_PLATFORM_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }],
    ['WECHATPAY_URL', { WECHATPAY_URL: 'api.mch.weixin.qq.com' }],
  ])('stops with a message naming %s', (name, env) => {
    expect(() => loadPaymentConfig({ ...production, ...complete, ...env })).toThrow(new RegExp(`payment subgraph: invalid configuration\\n  ${name}`));
  });
});

describe('loadPaymentConfig: the sandbox and production', () => {
  it('refuses SANDBOX=true in production, naming the variable: the sandbox would approve payments nobody paid', () => {
    for (const on of ['true', '1', 'yes']) {
      expect(() => loadPaymentConfig({ ...production, SANDBOX: on })).toThrow(/payment subgraph: invalid configuration\n {2}SANDBOX: is refused when NODE_ENV=production/);
      expect(() => paymentSandbox({ NODE_ENV: 'production', SANDBOX: on })).toThrow(/SANDBOX: is refused/);
    }
    expect(loadPaymentConfig({ ...production, SANDBOX: 'false' }).sandbox).toBe(false);
    expect(loadPaymentConfig(production).sandbox).toBe(false);
    expect(paymentSandbox({ NODE_ENV: 'test', SANDBOX: 'true' })).toBe(true);
  });

  it('refuses a predictable INTERNAL_SECRET in production', () => {
    expect(() => loadPaymentConfig({ ...production, INTERNAL_SECRET: 'x'.repeat(32) })).toThrow(/INTERNAL_SECRET: is too predictable for production/);
  });
});

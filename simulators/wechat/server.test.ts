import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import { loadWechatPaySimulatorConfig } from './config.js';
import { loadPaymentConfig } from '../../subgraphs/payment/config.js';
import { startWechatPaySimulator, type WechatPaySimulator } from './server.js';
import { testWechatPayKeys } from '../../test/support/keys.js';

const keys = testWechatPayKeys();
let simulator: WechatPaySimulator;

beforeAll(async () => {
  simulator = await startWechatPaySimulator({ keys });
});
afterAll(async () => {
  await simulator.close();
});

/** A request signed by hand, each part overridable, to see what WeChat Pay's check accepts. */
async function signed(method: 'GET' | 'POST', url: string, body: string, change: { timestamp?: number; signedBody?: string; serial?: string; mchid?: string; sentUrl?: string } = {}) {
  const timestamp = change.timestamp ?? Math.floor(Date.now() / 1000);
  const nonce = Formatter.nonce(32);
  const signature = Rsa.sign(Formatter.request(method, url, timestamp, nonce, change.signedBody ?? body), keys.merchant.privateKey);
  const authorization = Formatter.authorization(change.mchid ?? keys.mchid, nonce, signature, timestamp, change.serial ?? keys.merchant.serial);
  return fetch(`${simulator.url}${change.sentUrl ?? url}`, {
    method,
    headers: { Authorization: authorization, Accept: 'application/json', ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}) },
    ...(method === 'POST' ? { body } : {}),
  });
}

const order = (outTradeNo: string) =>
  JSON.stringify({ appid: keys.appid, mchid: keys.mchid, description: '测试', out_trade_no: outTradeNo, notify_url: 'http://127.0.0.1:9/notify', amount: { total: 100, currency: 'CNY' } });

function platformVerifies(response: Response, body: string): boolean {
  const header = (name: string) => response.headers.get(name) ?? '';
  if (header('wechatpay-serial') !== keys.platform.serial) return false;
  return Rsa.verify(Formatter.response(header('wechatpay-timestamp'), header('wechatpay-nonce'), body), header('wechatpay-signature'), keys.platform.publicKey);
}

describe('WeChat Pay simulator: the merchant signature', () => {
  it('accepts a correctly signed order and signs its answer with the platform key', async () => {
    const response = await signed('POST', '/v3/pay/transactions/native', order('sim_order_1'));
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(body)).toEqual({ code_url: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/) });
    expect(platformVerifies(response, body)).toBe(true);
  });

  it('signs over the path with its query: a query changed after signing is refused', async () => {
    await signed('POST', '/v3/pay/transactions/native', order('sim_order_2'));
    const ok = await signed('GET', `/v3/pay/transactions/out-trade-no/sim_order_2?mchid=${keys.mchid}`, '');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ out_trade_no: 'sim_order_2', trade_state: 'NOTPAY' });
    const moved = await signed('GET', `/v3/pay/transactions/out-trade-no/sim_order_2?mchid=${keys.mchid}`, '', {
      sentUrl: `/v3/pay/transactions/out-trade-no/sim_order_1?mchid=${keys.mchid}`,
    });
    expect(moved.status).toBe(401);
  });

  it.each([
    ['a body changed after signing', { signedBody: order('sim_order_other') }],
    ['a timestamp six minutes old', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ['an unknown certificate serial', { serial: 'ABCDEF' }],
    ['another mchid', { mchid: '1900000999' }],
  ])('refuses %s with an unsigned 401 SIGN_ERROR', async (_, change) => {
    const response = await signed('POST', '/v3/pay/transactions/native', order('sim_order_3'), change);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'SIGN_ERROR' });
    expect(response.headers.get('wechatpay-signature')).toBeNull();
  });

  it('refuses a request without Authorization', async () => {
    const response = await fetch(`${simulator.url}/v3/pay/transactions/native`, { method: 'POST', body: order('sim_order_4') });
    expect(response.status).toBe(401);
  });

  it('refuses an invalid order with a signed PARAM_ERROR naming the field', async () => {
    const response = await signed('POST', '/v3/pay/transactions/native', order('short').replace('"short"', '"x"'));
    const body = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(body)).toMatchObject({ code: 'PARAM_ERROR', message: expect.stringContaining('out_trade_no') });
    expect(platformVerifies(response, body)).toBe(true);
  });
});

describe('WeChat Pay simulator: keys and configuration', () => {
  it('shares its sandbox keys with the payment subgraph through DATA_DIR, made once on first start', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wechatpay-keys-'));
    try {
      const simulatorConfig = loadWechatPaySimulatorConfig({ DATA_DIR: dataDir, WECHATPAY_SIMULATOR_NOTIFY_DELAYS: '5,10' });
      expect(simulatorConfig).toMatchObject({ port: 4103, notifyRetryDelaysMs: [5, 10] });
      const merchant = loadPaymentConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, INTERNAL_SECRET: 'x'.repeat(32) }).wechatPay!;
      const simulated = simulatorConfig.keys;
      expect(simulated).toMatchObject({ mchid: merchant.mchid, appid: merchant.appid, apiV3Key: merchant.apiV3Key });
      expect(merchant.apiV3Key).toHaveLength(32);
      expect(simulated.merchant.serial).toBe(merchant.merchant.serial);
      expect(simulated.platform.serial).toBe(merchant.platform.serial);
      // each side signs with its private key what the other verifies with the public key it was given
      const message = Formatter.response(1700000000, 'nonce', '{}');
      expect(Rsa.verify(message, Rsa.sign(message, merchant.merchant.privateKey), simulated.merchant.publicKey)).toBe(true);
      expect(Rsa.verify(message, Rsa.sign(message, simulated.platform.privateKey), merchant.platform.publicKey)).toBe(true);
      expect(loadWechatPaySimulatorConfig({ DATA_DIR: dataDir }).keys).toEqual(simulated);
      const secrets = join(dataDir, 'secrets');
      for (const file of readdirSync(secrets)) expect(statSync(join(secrets, file)).mode & 0o077).toBe(0);
      expect(() => loadWechatPaySimulatorConfig({ DATA_DIR: dataDir, WECHATPAY_SIMULATOR_NOTIFY_DELAYS: 'soon' })).toThrow(/WECHATPAY_SIMULATOR_NOTIFY_DELAYS/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

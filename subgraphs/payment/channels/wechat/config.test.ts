import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateWechatPayKeys, wechatPaySandboxKeys } from '../../../../simulators/wechat/sandbox-keys.js';
import { loadWechatPayConfig } from './config.js';

const dataDir = mkdtempSync(join(tmpdir(), 'wechatpay-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const keys = generateWechatPayKeys();
const complete = {
  WECHATPAY_MCHID: keys.mchid,
  WECHATPAY_APPID: keys.appid,
  WECHATPAY_MERCHANT_SERIAL: keys.merchant.serial,
  WECHATPAY_MERCHANT_PRIVATE_KEY: keys.merchant.privateKey,
  WECHATPAY_PLATFORM_SERIAL: keys.platform.serial,
  WECHATPAY_PLATFORM_PUBLIC_KEY: keys.platform.publicKey,
  WECHATPAY_APIV3_KEY: keys.apiV3Key,
};

describe('loadWechatPayConfig', () => {
  it("in sandbox, takes what is not set from the simulator's keys under DATA_DIR and its address", () => {
    const config = loadWechatPayConfig({}, { sandbox: true, dataDir });
    const sandbox = wechatPaySandboxKeys(dataDir);
    expect(config).toEqual({
      baseUrl: 'http://127.0.0.1:4102',
      mchid: sandbox.mchid,
      appid: sandbox.appid,
      merchant: { serial: sandbox.merchant.serial, privateKey: sandbox.merchant.privateKey },
      platform: { serial: sandbox.platform.serial, publicKey: sandbox.platform.publicKey },
      apiV3Key: sandbox.apiV3Key,
    });
  });

  it('outside sandbox, leaves the channel off when nothing is set, and uses the real API when all is', () => {
    expect(loadWechatPayConfig({}, { sandbox: false, dataDir })).toBeNull();
    expect(loadWechatPayConfig(complete, { sandbox: false, dataDir })).toMatchObject({ baseUrl: 'https://api.mch.weixin.qq.com', mchid: keys.mchid });
  });

  it('outside sandbox, names every missing value of a partial configuration', () => {
    const partial = { ...complete, WECHATPAY_APIV3_KEY: undefined, WECHATPAY_PLATFORM_SERIAL: undefined };
    expect(() => loadWechatPayConfig(partial, { sandbox: false, dataDir })).toThrow(/WECHATPAY_PLATFORM_SERIAL: is required[\s\S]*WECHATPAY_APIV3_KEY: is required/);
  });

  it('reads keys inline with escaped newlines or from a file, and refuses what is not a key', () => {
    const file = join(dataDir, 'platform.pem');
    writeFileSync(file, keys.platform.publicKey);
    const config = loadWechatPayConfig(
      { ...complete, WECHATPAY_MERCHANT_PRIVATE_KEY: keys.merchant.privateKey.replaceAll('\n', '\\n'), WECHATPAY_PLATFORM_PUBLIC_KEY: file },
      { sandbox: false, dataDir },
    );
    expect(config?.merchant.privateKey.trim()).toBe(keys.merchant.privateKey.trim());
    expect(config?.platform.publicKey).toBe(keys.platform.publicKey);
    expect(() => loadWechatPayConfig({ ...complete, WECHATPAY_PLATFORM_PUBLIC_KEY: keys.merchant.privateKey.replace('PRIVATE', 'PUBLIC') }, { sandbox: false, dataDir })).toThrow(/WECHATPAY_PLATFORM_PUBLIC_KEY/);
    expect(() => loadWechatPayConfig({ ...complete, WECHATPAY_APIV3_KEY: 'short' }, { sandbox: false, dataDir })).toThrow(/WECHATPAY_APIV3_KEY/);
  });
});

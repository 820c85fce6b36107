import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseEnv, type Env } from '../../../../lib/config-loader.js';
import { wechatPaySandboxKeys } from '../../../../simulators/wechat/sandbox-keys.js';

export const WECHATPAY_API_URL = 'https://api.mch.weixin.qq.com';
export const DEFAULT_WECHATPAY_SIMULATOR_URL = 'http://127.0.0.1:4102';

export interface WechatPayConfig {
  baseUrl: string;
  mchid: string;
  appid: string;
  merchant: { serial: string; privateKey: string };
  platform: { serial: string; publicKey: string };
  apiV3Key: string;
}

/** A PEM given inline (newlines real or written as \n) or as the path of a PEM file. */
const pem = z.string().min(1).transform((value) => {
  const inline = value.replaceAll('\\n', '\n');
  return inline.includes('-----BEGIN ') ? inline : readFileSync(value, 'utf8');
});

const schema = z.object({
  WECHATPAY_URL: z.url().optional(),
  WECHATPAY_MCHID: z.string().regex(/^\d{6,32}$/, 'must be the merchant number (digits)').optional(),
  WECHATPAY_APPID: z.string().min(1).max(32).optional(),
  WECHATPAY_MERCHANT_SERIAL: z.string().min(1).optional(),
  WECHATPAY_MERCHANT_PRIVATE_KEY: pem.refine(isPrivateKey, 'must be an RSA private key (PEM, or a path to one)').optional(),
  WECHATPAY_PLATFORM_SERIAL: z.string().min(1).optional(),
  WECHATPAY_PLATFORM_PUBLIC_KEY: pem.refine(isPublicKey, 'must be the WeChat Pay public key (PEM, or a path to one)').optional(),
  WECHATPAY_APIV3_KEY: z.string().length(32, 'must be the 32-character APIv3 key').optional(),
});

function isPrivateKey(text: string): boolean {
  try {
    return createPrivateKey(text).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

function isPublicKey(text: string): boolean {
  try {
    return createPublicKey(text).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/**
 * The WECHAT_PAY channel's settings. In sandbox, what is not set comes from the simulator's keys under DATA_DIR and
 * the simulator's address. Otherwise the channel is off unless configured, and once configured every value is required.
 */
export function loadWechatPayConfig(env: Env, context: { sandbox: boolean; dataDir: string }): WechatPayConfig | null {
  const e = parseEnv('payment subgraph (WeChat Pay)', schema, env);
  const given = {
    mchid: e.WECHATPAY_MCHID,
    appid: e.WECHATPAY_APPID,
    merchantSerial: e.WECHATPAY_MERCHANT_SERIAL,
    merchantPrivateKey: e.WECHATPAY_MERCHANT_PRIVATE_KEY,
    platformSerial: e.WECHATPAY_PLATFORM_SERIAL,
    platformPublicKey: e.WECHATPAY_PLATFORM_PUBLIC_KEY,
    apiV3Key: e.WECHATPAY_APIV3_KEY,
  };
  if (!context.sandbox) {
    if (Object.values(given).every((value) => value === undefined)) return null;
    const missing = Object.entries(schema.shape).filter(([name]) => name !== 'WECHATPAY_URL' && e[name as keyof typeof e] === undefined).map(([name]) => name);
    if (missing.length > 0) {
      throw new Error(`payment subgraph: invalid configuration\n${missing.map((name) => `  ${name}: is required to enable WeChat Pay`).join('\n')}`);
    }
  }
  const sandbox = context.sandbox ? wechatPaySandboxKeys(context.dataDir) : undefined;
  const pick = (value: string | undefined, fallback: (keys: NonNullable<typeof sandbox>) => string): string => value ?? fallback(sandbox!);
  return {
    baseUrl: e.WECHATPAY_URL ?? (context.sandbox ? DEFAULT_WECHATPAY_SIMULATOR_URL : WECHATPAY_API_URL),
    mchid: pick(given.mchid, (keys) => keys.mchid),
    appid: pick(given.appid, (keys) => keys.appid),
    merchant: { serial: pick(given.merchantSerial, (keys) => keys.merchant.serial), privateKey: pick(given.merchantPrivateKey, (keys) => keys.merchant.privateKey) },
    platform: { serial: pick(given.platformSerial, (keys) => keys.platform.serial), publicKey: pick(given.platformPublicKey, (keys) => keys.platform.publicKey) },
    apiV3Key: pick(given.apiV3Key, (keys) => keys.apiV3Key),
  };
}

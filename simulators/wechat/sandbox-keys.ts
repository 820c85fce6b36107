import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KeyPair {
  serial: string;
  privateKey: string;
  publicKey: string;
}

/** What the sandbox merchant and the sandbox WeChat Pay hold between them, as in production. */
export interface WechatPaySandboxKeys {
  mchid: string;
  appid: string;
  /** ours: WeChat Pay knows only the public key, under the merchant certificate's serial */
  merchant: KeyPair;
  /** WeChat Pay's: the merchant is given the public key and its PUB_KEY_ID_ serial */
  platform: KeyPair;
  /** set by the merchant on WeChat Pay's merchant platform, so known to both */
  apiV3Key: string;
}

/** A file under DATA_DIR/secrets, generated once and read on every later start (by any process). */
function kept(dataDir: string, name: string, generate: () => string): string {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, generate(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // another process on the same DATA_DIR wrote it first: theirs is kept
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

function digits(count: number): string {
  return Array.from({ length: count }, () => randomInt(10)).join('');
}

function keyPair(dataDir: string, name: string, serial: () => string): KeyPair {
  const privateKey = kept(dataDir, `${name}-private-key.pem`, () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
  const publicKey = createPublicKey(createPrivateKey(privateKey)).export({ type: 'spki', format: 'pem' }).toString();
  return { serial: kept(dataDir, `${name}-serial`, serial), privateKey, publicKey };
}

/**
 * The sandbox's keys, generated on first start under DATA_DIR and shared by the simulator and the payment
 * subgraph started on the same DATA_DIR (each reads only its side's private key).
 */
export function wechatPaySandboxKeys(dataDir: string): WechatPaySandboxKeys {
  return {
    mchid: '1900000109',
    appid: 'wxd678efh567hg6787',
    merchant: keyPair(dataDir, 'wechatpay-merchant', () => randomBytes(20).toString('hex').toUpperCase()),
    platform: keyPair(dataDir, 'wechatpay-platform', () => `PUB_KEY_ID_${digits(34)}`),
    apiV3Key: kept(dataDir, 'wechatpay-apiv3-key', () => randomBytes(16).toString('hex')),
  };
}

/** A fresh set in memory, for tests. */
export function generateWechatPayKeys(): WechatPaySandboxKeys {
  const pair = (serial: string): KeyPair => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return {
      serial,
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  };
  return {
    mchid: '1900000109',
    appid: 'wxd678efh567hg6787',
    merchant: pair(randomBytes(20).toString('hex').toUpperCase()),
    platform: pair(`PUB_KEY_ID_${digits(34)}`),
    apiV3Key: randomBytes(16).toString('hex'),
  };
}

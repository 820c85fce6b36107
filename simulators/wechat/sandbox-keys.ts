import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';

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

function digits(count: number): string {
  return Array.from({ length: count }, () => randomInt(10)).join('');
}

type RsaPair = Omit<KeyPair, 'serial'>;

/** A fresh set in memory, for tests; `rsa` gives fixed key pairs instead of generating them (which is slow). */
export function generateWechatPayKeys(rsa: { merchant?: RsaPair; platform?: RsaPair } = {}): WechatPaySandboxKeys {
  const pair = (serial: string, given: RsaPair | undefined): KeyPair => {
    if (given) return { serial, ...given };
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
    merchant: pair(randomBytes(20).toString('hex').toUpperCase(), rsa.merchant),
    platform: pair(`PUB_KEY_ID_${digits(34)}`, rsa.platform),
    apiV3Key: randomBytes(16).toString('hex'),
  };
}

import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PemKeyPair } from '../../lib/rsa-keys.js';
import { generateWechatPayKeys, type WechatPaySandboxKeys } from '../../simulators/wechat/sandbox-keys.js';

/** How many fixed keys test/support/keys/ holds: tests that need distinct keys take distinct numbers. */
export type TestKeyNumber = 1 | 2 | 3 | 4 | 5 | 6;

const pairs = new Map<TestKeyNumber, PemKeyPair>();

/** A fixed RSA key pair (PKCS#8 and SPKI PEM) from test/support/keys/, instead of generating one per test. */
export function testKeyPair(number: TestKeyNumber): PemKeyPair {
  let pair = pairs.get(number);
  if (!pair) {
    const key = createPrivateKey(readFileSync(new URL(`./keys/test-key-${number}.pem`, import.meta.url), 'utf8'));
    pair = {
      privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString(),
    };
    pairs.set(number, pair);
  }
  return pair;
}

/** The WeChat Pay sandbox's keys on fixed RSA pairs (5: the merchant's, 6: the platform's). */
export function testWechatPayKeys(): WechatPaySandboxKeys {
  return generateWechatPayKeys({ merchant: testKeyPair(5), platform: testKeyPair(6) });
}

/** A private key nobody was given: what an attacker signs with. */
export function attackerKey(): string {
  return testKeyPair(4).privateKey;
}

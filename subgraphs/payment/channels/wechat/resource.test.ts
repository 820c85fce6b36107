import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Aes } from 'wechatpay-axios-plugin';
import { decryptResource, type EncryptedResource } from './resource.js';

// AES-256-GCM test case 16 of McGrew and Viega's GCM specification (the vectors RFC 5116's AEAD_AES_256_GCM
// refers to): 256-bit key, 96-bit IV, additional data.
const gcm = {
  key: Buffer.from('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308', 'hex'),
  iv: Buffer.from('cafebabefacedbaddecaf888', 'hex'),
  plaintext: Buffer.from('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39', 'hex'),
  aad: Buffer.from('feedfacedeadbeeffeedfacedeadbeefabaddad2', 'hex'),
  ciphertext: Buffer.from('522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662', 'hex'),
  tag: Buffer.from('76fc6ece0f4e1768cddf8853bb2d551b', 'hex'),
};

const apiV3Key = '0123456789abcdef0123456789abcdef';

function encrypted(plaintext: string, nonce = 'x1y2z3w4v5u6', associatedData = 'transaction', key = apiV3Key): EncryptedResource {
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: Aes.AesGcm.encrypt(plaintext, key, nonce, associatedData), nonce, associated_data: associatedData, original_type: 'transaction' };
}

describe('AEAD_AES_256_GCM (wechatpay-axios-plugin AesGcm)', () => {
  it('frames the specification vector as base64 of ciphertext then tag, and decrypts it back', () => {
    // the library takes strings as WeChat Pay's fields are; the vector is binary, so its Buffers are passed through
    const asText = (bytes: Buffer) => bytes as unknown as string;
    const sealed = Aes.AesGcm.encrypt(asText(gcm.plaintext), gcm.key, gcm.iv, asText(gcm.aad));
    expect(sealed).toBe(Buffer.concat([gcm.ciphertext, gcm.tag]).toString('base64'));
    expect(Aes.AesGcm.decrypt(sealed, gcm.key, gcm.iv, asText(gcm.aad))).toBe(gcm.plaintext.toString('utf8'));
  });

  it('agrees with node:crypto on a notification-shaped input', () => {
    const cipher = createCipheriv('aes-256-gcm', apiV3Key, 'x1y2z3w4v5u6').setAAD(Buffer.from('refund'));
    const expected = Buffer.concat([cipher.update('{"refund_status":"SUCCESS"}', 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
    expect(encrypted('{"refund_status":"SUCCESS"}', 'x1y2z3w4v5u6', 'refund').ciphertext).toBe(expected);
  });
});

describe('decryptResource', () => {
  it('decrypts a resource sealed under the APIv3 key (UTF-8 included)', () => {
    const plaintext = JSON.stringify({ out_trade_no: 'pay_1', trade_state: 'SUCCESS', trade_state_desc: '支付成功' });
    expect(decryptResource(encrypted(plaintext), apiV3Key)).toBe(plaintext);
  });

  it('decrypts a resource without associated data', () => {
    const resource = encrypted('{}', 'abcdefabcdef', '');
    expect(decryptResource({ ...resource, associated_data: undefined }, apiV3Key)).toBe('{}');
  });

  it('refuses anything altered, another key, another nonce or other associated data', () => {
    const resource = encrypted('{"trade_state":"SUCCESS"}');
    const bytes = Buffer.from(resource.ciphertext, 'base64');
    bytes[3] = bytes[3]! ^ 1;
    expect(decryptResource({ ...resource, ciphertext: bytes.toString('base64') }, apiV3Key)).toBeUndefined();
    expect(decryptResource(resource, 'fedcba9876543210fedcba9876543210')).toBeUndefined();
    expect(decryptResource({ ...resource, nonce: 'x1y2z3w4v5u7' }, apiV3Key)).toBeUndefined();
    expect(decryptResource({ ...resource, associated_data: 'refund' }, apiV3Key)).toBeUndefined();
    expect(decryptResource({ ...resource, ciphertext: 'AAAA' }, apiV3Key)).toBeUndefined();
  });
});

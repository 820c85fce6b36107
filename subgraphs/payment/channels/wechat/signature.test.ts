import { describe, expect, it } from 'vitest';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import { authorizationHeader, verifyPlatformSignature } from './signature.js';
import { testKeyPair } from '../../../../test/support/keys.js';

// The test merchant key, timestamp and nonce of WeChat Pay's guides to request signatures
// (pay.weixin.qq.com/docs/merchant/development/generate-request-signature-verification/), with the signatures
// they print: "if what you compute equals the document's, your computation is right".
const documentedMerchantKey = `-----BEGIN RSA PRIVATE KEY-----
MIIEogIBAAKCAQEAptpm+qvIDCh/9wjU26SQCK26ogYkBhDrYxnAaw2JbbBsp1oD
bHKk+1r381NeBUG2HEFAuU+Fr72u5ot3yKdzoF/FajAzQNKnm569/D3upKoi8mYB
aST15Uig8j8qoUW1U217LL0jEHlSnHV3lcaDTXqDpTRR4Bfz9IqOgJgFZ8/oTfEo
mSrjrLYef81Eyxr7ZIMQXEKKEK7V4UXKS0+/fDsiG/cXidhzt8UbTL9vqXqxM2+I
DImyO+FAc/tkBG55LmzxPto1Nq0WbnZzRM/wTzrd0I/8NlevxtFbphg4evlHjFNI
7+GrqR87ViEwuAJJ9Je5QQjct5YJfFRWiZ5CMQIDAQABAoIBAGBi/GhEgezcHIg1
ltlHaFlLGuxsRbUnYwM9phVxnXk7GJlYe2/TjpERjPkIqOC6hBwwadZjJORP3FCc
Mtc8PKRhjuZ377O7vU0915x2nnyLOGL1IE2AJ3iLi0ZFzTea0FPgg+5lWHM00s9F
YI6qPcGtS41M+xtMWwZiYE3TBBRibHiY8ugGyaNAhiMKehyW05uApjlIF55wwCGx
BkyESJpGRR/6853iHke6Ge+xVcMa9QmQdoH0QqL/8kT28PL568mJJr0Ow/83t4+d
Pe70YPzKAxgUnaDsHJqO+b8qH69AEs8rTI5h2Mon6pH+bJT66KUoiXhn+Kf+4LSs
henRP10CgYEA1QJSfuFOWVRjrg3N/rAIc/Ak84BTZavbyrkqBSuoTs9i/nMI/hOz
VxpDntg7Bx2Tctl6sZO3GioTxKdc/YYaTKci1TKBbeginpsqEQVgwkMCy8HpvUmR
fyAMqLwZC4h9+j+NiZtuoFJDTCgv+WYbasX+kWYEUM21bnSYuO7yEQsCgYEAyIdP
r9uzqPgzN34Tmx+CNTa16VjhBh+zkBtXRLDLhWBeIYxoYNJARD98Pb1XZdvpkZZW
Sk7MfaKo2/DomzyyyB/MbHWwAdFi3yb4y7uMJfyC1MzdUSNN3Vp579hJxHkJ+nN4
Ys76yfcEeVOLnvUT1Z0KKCdIWRdT1Lgi+X1itzMCgYBJUXlPzwGG4fNFj97d0X23
Wmt9nSgXkOYgi0eZbAOMzPmIF9R6kBFk49dur4Lx2g5Ms+r1gKC/0sfnIqxxX11i
EQ1+UNoYGJUB/uql3TIG68XkmKR50P7RwRhaZBRC0gJ6xrFTMjsL2ATuC88niyvY
vrn3FiRaI9RVZrDCxwxvLQKBgEXW4okEAqGBuAzGqztmkOnJoTehDdYdKmOxMgap
cGiGdKJIjX3THDDoz3ONQyglnEZpTqpYoV3MTfU0BT8zt6x9bqwDnQY1D7NalmIW
cqw0Mri8lQQSQKcsQLWo5aA466G/n5kCL1Qx5OwAjesRvhOyuvvbGpZ0ymyWqQ+t
fLkDAoGATcul1L8y5D/wNVP1GXbXMZfBsFP3bbqy8c+Ashm6g8OLm2mGNntd5Z6h
1KkID7Yksh+dZ6t7XaPBtGACXX5Eryr537JVvdX8hAVCp5HVtaN/9VBVP8Ka2e4s
VS/xeNgOMQ7uzhRPBJ8HiTmdI1nHhDnYQpGiBgQn0Z5RAkSvFMk=
-----END RSA PRIVATE KEY-----`;
const documentedTimestamp = 1554208460;
const documentedNonce = '593BEC0C930BF1AFEB40B4A08C8FB242';
const merchant = { mchid: '1900007291', serial: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB', privateKey: documentedMerchantKey };

// WeChat Pay's guide to verifying an answer (…/development/interface-rules/build-verify-sign-src.html): the
// platform public key, the answer's Wechatpay-* headers and body, verbatim.
const documentedPlatformKey = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwXNI6sdlknHBnK8Fu2U6
Cwor9qY747jP8KAfeBMeveEt1TqaHkLfaSD07trZLhGpfs8/AHqjhgSMO1O10YQW
OrrJ4hjIWPKqxbgrYMkBQc+mwdiWp4W3ByCqxBRagCveCXRWCmuJYovl9H/bsDI0
iGbpVtEOghJtfciisYSgxcLufUDTRkvwxjIBK1pCRjk33jJ5YTBWTHMRtMAOcFLN
F6hdEYdX8SPsgHHeLZ5Lv2T/686w1xtgCHef/sd4uSfWmyzsalQdHG/e4IyYmrhx
+O3VBoNDzE3nx23bFeV/RVNCG7cV6VhmYokJNHa/erIPkEmEFID6A5wQOXuxUkmJ
WwIDAQAB
-----END PUBLIC KEY-----`;
const platform = { serial: 'PUB_KEY_ID_0000000000000024101100397200000006', publicKey: documentedPlatformKey };
const documentedAnswer = {
  body: '{"code_url":"weixin://wxpay/bizpayurl?pr=JyC91EIz1"}',
  headers: {
    'wechatpay-nonce': 'd824f2e086d3c1df967785d13fcd22ef',
    'wechatpay-signature':
      'mfI1CPqvBrgcXfgXMFjdNIhBf27ACE2YyeWsWV9ZI7T7RU0vHvbQpu9Z32ogzc+k8ZC5n3kz7h70eWKjgqNdKQF0eRp8mVKlmfzMLBVHbssB9jEZEDXThOX1XFqX7s7ymia1hoHQxQagPGzkdWxtlZPZ4ZPvr1RiqkgAu6Is8MZgXXrRoBKqjmSdrP1N7uxzJ/cjfSiis9FiLjuADoqmQ1P7p2N876YPAol7Rn0+GswwAwxldbdLrmVSjfytfSBJFqTMHn4itojgxSWWN1byuckQt8hSTEv/Lg97QoeGniYP17T80pJeQyL3b+295FPHSO2AtvCgyIbKMZ0BALilAA==',
    'wechatpay-timestamp': '1722850421',
    'wechatpay-serial': 'PUB_KEY_ID_0000000000000024101100397200000006',
    'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
  },
  at: 1722850421,
};

function fieldsOf(header: string): Record<string, string> {
  expect(header.startsWith('WECHATPAY2-SHA256-RSA2048 ')).toBe(true);
  return Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

describe('authorizationHeader (documented vectors)', () => {
  it('signs a GET with a path parameter and no body exactly as the guide does', () => {
    const header = authorizationHeader(merchant, { method: 'GET', url: '/v3/refund/domestic/refunds/123123123123', body: '' }, documentedTimestamp, documentedNonce);
    expect(fieldsOf(header)).toEqual({
      mchid: '1900007291',
      serial_no: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
      timestamp: '1554208460',
      nonce_str: documentedNonce,
      signature:
        'Lc9VXxmeonkdV8Xk9tmigQFLhl0vRWTerdmoRu01aAnYwIrD/5nsSwE1WlmZGLRlAFTNQ3QsMa0+VRDlJp1Wp5p0nO8EK68b5sJBbjouxaFciIfq1zfDWWz+jqhcMoKXI1A6dPm1AW7D4d30WsMTNzp6g23OXakIsh9LO3lUmwvTuE0BY8ncf6tNGk4wKmvXwERd/ZpoQY3MAVKz+Nakwc+2XBmzT66KcUehU5kr4IvGa/lEU5RZb/q00zP9VLdBhC/jQSX3X1UcJLCtEc4gTmib4tnmAT+bHF/e17ZAuxDNcx6rqT8gNEXqaJGG+1OflMSTU2tpyG65G4dMKdFcoA==',
    });
  });

  it('signs a POST with a JSON body (UTF-8, Chinese included) exactly as the guide does', () => {
    const body =
      '{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"Image形象店-深圳腾大-QQ公仔","out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php","amount":{"total":100,"currency":"CNY"},"payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}';
    const header = authorizationHeader(merchant, { method: 'POST', url: '/v3/pay/transactions/jsapi', body }, documentedTimestamp, documentedNonce);
    expect(fieldsOf(header).signature).toBe(
      'gEuexJ547PHFV77TQ6eiE4tphVYfWfUe1Wc2dBmVnoMYU2rl/M4zhw+b3vBhuMw6AC7pteNkryLA7UWU2h+umo0OdSuuLm1++O3NckQPCSfm6dypsjn4GYm84KMqXWFrhFmyxEwIdEJDr3w1UYfxOcu55OQupfLkrt/ZzuOspnliJFrPzGQFUk7lGqMMtpz3EfbDUNxnVsHblORg3hVmuYNmbGWnS2ovU30Y2Q+iKFDxzkaXBk8LTy6HzvxizRo6Q+J4SVM7O0hKXfgo1QdI68kpzNULb3EVBXlhTyPUzhkHzzLxECL1qHl3HH2hEv8++C+4wBlsagF3j/O6PABojA==',
    );
  });

  it('uses a fresh 32-character nonce and the current time by default', () => {
    const a = fieldsOf(authorizationHeader(merchant, { method: 'GET', url: '/v3/certificates', body: '' }));
    const b = fieldsOf(authorizationHeader(merchant, { method: 'GET', url: '/v3/certificates', body: '' }));
    expect(a.nonce_str).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(a.nonce_str).not.toBe(b.nonce_str);
    expect(Math.abs(Number(a.timestamp) - Date.now() / 1000)).toBeLessThan(5);
  });
});

describe('verifyPlatformSignature', () => {
  const { headers, body, at } = documentedAnswer;

  it('verifies the documented answer', () => {
    expect(verifyPlatformSignature(platform, headers, body, at)).toEqual({ ok: true });
  });

  it('refuses the documented answer with its body changed', () => {
    const changed = body.replace('JyC91EIz1', 'JyC91EIz2');
    expect(verifyPlatformSignature(platform, headers, changed, at)).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses it more than five minutes from our clock, either way, and accepts it at five minutes', () => {
    expect(verifyPlatformSignature(platform, headers, body, at + 301)).toEqual({ ok: false, reason: 'stale timestamp' });
    expect(verifyPlatformSignature(platform, headers, body, at - 301)).toEqual({ ok: false, reason: 'stale timestamp' });
    expect(verifyPlatformSignature(platform, headers, body, at + 300)).toEqual({ ok: true });
  });

  it('refuses a serial other than our platform key, an unknown signature type and missing headers', () => {
    expect(verifyPlatformSignature({ ...platform, serial: 'PUB_KEY_ID_OTHER' }, headers, body, at).ok).toBe(false);
    expect(verifyPlatformSignature(platform, { ...headers, 'wechatpay-signature-type': 'WECHATPAY2-SM2-WITH-SM3' }, body, at).ok).toBe(false);
    for (const name of ['wechatpay-nonce', 'wechatpay-signature', 'wechatpay-timestamp', 'wechatpay-serial']) {
      expect(verifyPlatformSignature(platform, { ...headers, [name]: undefined }, body, at)).toEqual({ ok: false, reason: 'missing signature headers' });
    }
  });

  it("refuses WeChat Pay's signature probes (WECHATPAY/SIGNTEST/…) and garbage", () => {
    const probe = { ...headers, 'wechatpay-signature': `WECHATPAY/SIGNTEST/${headers['wechatpay-signature']}` };
    expect(verifyPlatformSignature(platform, probe, body, at).ok).toBe(false);
    expect(verifyPlatformSignature(platform, { ...headers, 'wechatpay-signature': '!!' }, body, at).ok).toBe(false);
  });

  it('verifies what a key pair signs in the response format, and nothing signed by another key', () => {
    const pair = testKeyPair(1);
    const other = testKeyPair(2);
    const now = Math.floor(Date.now() / 1000);
    const sign = (key: string) => ({
      'wechatpay-nonce': 'n0nce',
      'wechatpay-timestamp': String(now),
      'wechatpay-serial': 'S1',
      'wechatpay-signature': Rsa.sign(Formatter.response(now, 'n0nce', '{"a":1}'), key),
    });
    expect(verifyPlatformSignature({ serial: 'S1', publicKey: pair.publicKey }, sign(pair.privateKey), '{"a":1}')).toEqual({ ok: true });
    expect(verifyPlatformSignature({ serial: 'S1', publicKey: pair.publicKey }, sign(other.privateKey), '{"a":1}').ok).toBe(false);
  });
});

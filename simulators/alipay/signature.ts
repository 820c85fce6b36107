import { createSign, createVerify } from 'node:crypto';

/**
 * Alipay's signing rules, written from its documentation (not from the SDK we check against): the
 * content is every parameter but the excluded ones, with a non-empty value, sorted by name, as
 * `name=value` joined by `&`; the signature is SHA256withRSA, base64.
 * Requests exclude `sign`; asynchronous notifications exclude `sign` and `sign_type`.
 */
export function signContent(params: Record<string, string>, exclude: string[]): string {
  return Object.keys(params)
    .filter((name) => !exclude.includes(name) && params[name] !== '')
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join('&');
}

export function rsa2Sign(content: string, privateKey: string): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');
}

export function rsa2Verify(content: string, signature: string, publicKey: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

import { randomBytes } from 'node:crypto';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A time-ordered, prefixed identifier such as `pay_01jd3…`: 48 bits of milliseconds then 80 random bits,
 * Crockford base32, so identifiers sort by creation time and say what they name. `random` (10 bytes)
 * is for generated data that must come out the same from the same seed (npm run seed).
 */
export function newId(prefix: string, now: number = Date.now(), random: Uint8Array = randomBytes(10)): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let bits = 0n;
  for (const byte of random) bits = (bits << 8n) | BigInt(byte);
  let rest = '';
  for (let i = 0; i < 16; i++) {
    rest = alphabet[Number(bits & 31n)] + rest;
    bits >>= 5n;
  }
  return `${prefix}_${time}${rest}`;
}

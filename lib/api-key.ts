// Shared by the gateway (which checks and hashes keys) and the payment subgraph (which issues them).
import { createHash, randomBytes } from 'node:crypto';

/** API keys: `pgk_` and 43 characters of base64url (256 random bits). Only the SHA-256 is stored. */
export const API_KEY_PREFIX = 'pgk_';
const apiKeyPattern = /^pgk_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function isWellFormedApiKey(key: string): boolean {
  return apiKeyPattern.test(key);
}

/** A fast hash is enough: the key has 256 bits of entropy, so it cannot be guessed from its hash. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function displayPrefix(key: string): string {
  return key.slice(0, 10);
}

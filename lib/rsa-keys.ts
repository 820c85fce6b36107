import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishOwnerOnlyFile } from './owner-only.js';

export interface PemKeyPair {
  /** PKCS#8 PEM */
  privateKey: string;
  /** SPKI PEM */
  publicKey: string;
}

/**
 * A development RSA key pair (2048 bits), generated once and kept under DATA_DIR/secrets like
 * developmentSecret, so that a provider simulator and the service that calls it, started separately
 * on one machine, agree on each other's keys. Production gives its keys in the environment instead.
 */
export function developmentKeyPair(dataDir: string, name: string): PemKeyPair {
  const file = join(dataDir, 'secrets', `${name}.pem`);
  if (!existsSync(file)) {
    // when another process was first, its key wins
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publishOwnerOnlyFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  }
  const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A PEM key as given (an environment value may carry its newlines as "\\n"), or the DER of a bare base64 body. */
function keyText(text: string): { pem: string } | { der: Buffer } {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return { pem: trimmed.replace(/\\n/g, '\n') };
  // providers' key tools hand out the bare base64 body of the DER key
  return { der: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64') };
}

function firstOf(attempts: (() => KeyObject)[]): KeyObject {
  for (const attempt of attempts) {
    try {
      const key = attempt();
      if (key.asymmetricKeyType === 'rsa') return key;
    } catch {
      // try the next encoding
    }
  }
  throw new Error('is not an RSA key (PEM, or the base64 of its DER)');
}

/** An RSA private key given as PEM (PKCS#1 or PKCS#8) or bare base64 DER, as PKCS#8 PEM; throws when it is none. */
export function rsaPrivateKeyPem(text: string): string {
  const given = keyText(text);
  const key = 'pem' in given
    ? firstOf([() => createPrivateKey(given.pem)])
    : firstOf([() => createPrivateKey({ key: given.der, format: 'der', type: 'pkcs8' }), () => createPrivateKey({ key: given.der, format: 'der', type: 'pkcs1' })]);
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** An RSA public key given as PEM or bare base64 DER (SPKI or PKCS#1), as SPKI PEM; throws when it is none. */
export function rsaPublicKeyPem(text: string): string {
  const given = keyText(text);
  const key = 'pem' in given
    ? firstOf([() => createPublicKey(given.pem)])
    : firstOf([() => createPublicKey({ key: given.der, format: 'der', type: 'spki' }), () => createPublicKey({ key: given.der, format: 'der', type: 'pkcs1' })]);
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

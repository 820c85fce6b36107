import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApiKey } from './api-key.js';
import { developmentSecret, requireProductionSecrets } from './config-loader.js';

const root = mkdtempSync(join(tmpdir(), 'paygraph-config-loader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('developmentSecret', () => {
  it('creates DATA_DIR and its secrets folder for the owner only (0700), the secret 0600, whatever the umask', () => {
    const dataDir = join(root, 'fresh', 'data');
    const previous = process.umask(0o000);
    try {
      const secret = developmentSecret(dataDir, 'internal-secret');
      expect(secret).toMatch(/^[\w-]{43}$/);
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(join(dataDir, 'secrets'))).toBe(0o700);
      expect(modeOf(join(dataDir, 'secrets', 'internal-secret'))).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('is the same secret on every later call, and leaves no draft behind', () => {
    const dataDir = join(root, 'again');
    const first = developmentSecret(dataDir, 'card-webhook-secret');
    expect(developmentSecret(dataDir, 'card-webhook-secret')).toBe(first);
    expect(readdirSync(join(dataDir, 'secrets'))).toEqual(['card-webhook-secret']);
  });
});

describe('requireProductionSecrets', () => {
  it('names each missing or predictable secret, and never prints it', () => {
    const attempt = () => requireProductionSecrets('gateway', { ADMIN_API_KEY: 'a'.repeat(40), INTERNAL_SECRET: undefined });
    expect(attempt).toThrow(
      /^gateway: invalid configuration\n {2}ADMIN_API_KEY: is too predictable for production \(about 0 bits of entropy, at least 128 required\): generate one, e\.g\. openssl rand -hex 32\n {2}INTERNAL_SECRET: is required when NODE_ENV=production$/,
    );
    expect(attempt).not.toThrow(/aaaa/);
  });

  it('accepts generated secrets', () => {
    expect(() => requireProductionSecrets('gateway', { ADMIN_API_KEY: generateApiKey(), INTERNAL_SECRET: 'c5b0f3a4e1d27a9e6b8f0d3c2a1b4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d' })).not.toThrow();
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../lib/api-key.js';
import { loadGatewayConfig } from './config.js';

const dataDir = mkdtempSync(join(tmpdir(), 'paygraph-gateway-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const base = { NODE_ENV: 'test', DATA_DIR: dataDir };
const production = { NODE_ENV: 'production', ADMIN_API_KEY: generateApiKey(), INTERNAL_SECRET: randomBytes(32).toString('hex') };

describe('loadGatewayConfig: response headers and CORS', () => {
  it('by default: no CORS allow-list, no HSTS', () => {
    expect(loadGatewayConfig(base).headers).toEqual({ corsOrigins: [], hstsMaxAgeSeconds: null });
    expect(loadGatewayConfig({ ...base, CORS_ORIGINS: ' ', HSTS_MAX_AGE: '0' }).headers).toEqual({ corsOrigins: [], hstsMaxAgeSeconds: null });
  });

  it('reads CORS_ORIGINS as exact origins, comma-separated, and HSTS_MAX_AGE in seconds', () => {
    const config = loadGatewayConfig({ ...base, CORS_ORIGINS: 'https://dashboard.example.com, http://localhost:5173,', HSTS_MAX_AGE: '31536000' });
    expect(config.headers).toEqual({ corsOrigins: ['https://dashboard.example.com', 'http://localhost:5173'], hstsMaxAgeSeconds: 31_536_000 });
  });

  it.each([
    ['CORS_ORIGINS', { CORS_ORIGINS: '*' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://dashboard.example.com/' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://dashboard.example.com/app' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'dashboard.example.com' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://*.example.com' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'null' }],
    ['HSTS_MAX_AGE', { HSTS_MAX_AGE: '1y' }],
    ['HSTS_MAX_AGE', { HSTS_MAX_AGE: '-1' }],
  ])('stops with a message naming %s', (name, env) => {
    expect(() => loadGatewayConfig({ ...base, ...env })).toThrow(new RegExp(`^gateway: invalid configuration\\n {2}${name}`));
  });
});

describe('loadGatewayConfig: what production refuses', () => {
  it('starts with a generated admin key and a 64-digit hex secret', () => {
    expect(loadGatewayConfig(production)).toMatchObject({ production: true, adminApiKey: production.ADMIN_API_KEY, internalSecret: production.INTERNAL_SECRET });
  });

  it.each([
    ['ADMIN_API_KEY', '32 identical characters', 'x'.repeat(32)],
    ['ADMIN_API_KEY', 'a short pattern repeated', 'pgk_'.repeat(10)],
    ['INTERNAL_SECRET', '32 identical characters', '0'.repeat(64)],
    ['INTERNAL_SECRET', 'a run of characters', 'abcdefghijklmnopqrstuvwxyz0123456789'],
  ])('%s: %s', (name, _what, value) => {
    expect(() => loadGatewayConfig({ ...production, [name]: value })).toThrow(new RegExp(`^gateway: invalid configuration\\n {2}${name}: is too predictable for production`));
  });

  it('requires both', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/ADMIN_API_KEY: is required when NODE_ENV=production\n {2}INTERNAL_SECRET: is required/);
  });

  it('outside production, any 32 characters will do (tests, development)', () => {
    expect(loadGatewayConfig({ ...base, ADMIN_API_KEY: 'x'.repeat(32), INTERNAL_SECRET: 'x'.repeat(32) }).adminApiKey).toBe('x'.repeat(32));
  });
});

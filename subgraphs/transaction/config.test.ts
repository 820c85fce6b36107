import { describe, expect, it } from 'vitest';
import { loadTransactionConfig } from './config.js';

const base = { NODE_ENV: 'test', INTERNAL_SECRET: 'x'.repeat(32) };

describe('loadTransactionConfig', () => {
  it('has the documented defaults', () => {
    expect(loadTransactionConfig(base)).toMatchObject({ port: 4003, host: '127.0.0.1', databaseUrl: undefined, dataDir: './data', production: false });
  });

  it.each([
    ['TRANSACTION_PORT', { TRANSACTION_PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['INTERNAL_SECRET', { INTERNAL_SECRET: 'short' }],
  ])('stops with a message naming %s', (name, env) => {
    expect(() => loadTransactionConfig({ ...base, ...env })).toThrow(new RegExp(`transaction subgraph: invalid configuration\\n  ${name}`));
  });

  it('requires INTERNAL_SECRET in production, and refuses one a person made up', () => {
    expect(() => loadTransactionConfig({ NODE_ENV: 'production' })).toThrow(/INTERNAL_SECRET: is required/);
    for (const made of ['x'.repeat(32), 'secret'.repeat(6)]) {
      expect(() => loadTransactionConfig({ NODE_ENV: 'production', INTERNAL_SECRET: made })).toThrow(/INTERNAL_SECRET: is too predictable for production/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { loadAnalyticsConfig } from './config.js';

const base = { NODE_ENV: 'test', INTERNAL_SECRET: 'x'.repeat(32) };

describe('loadAnalyticsConfig', () => {
  it('has the documented defaults', () => {
    expect(loadAnalyticsConfig(base)).toMatchObject({ port: 4004, host: '127.0.0.1', databaseUrl: undefined, dataDir: './data' });
  });

  it('reads its port and the shared subgraph variables', () => {
    const config = loadAnalyticsConfig({ ...base, ANALYTICS_PORT: '0', SUBGRAPH_HOST: '0.0.0.0', DATABASE_URL: 'postgres://u@h/db' });
    expect(config).toMatchObject({ port: 0, host: '0.0.0.0', databaseUrl: 'postgres://u@h/db' });
  });

  it('stops with a message naming a bad port', () => {
    expect(() => loadAnalyticsConfig({ ...base, ANALYTICS_PORT: '70000' })).toThrow(/analytics subgraph: invalid configuration\n {2}ANALYTICS_PORT/);
  });

  it('requires INTERNAL_SECRET in production, and refuses one a person made up', () => {
    expect(() => loadAnalyticsConfig({ NODE_ENV: 'production' })).toThrow(/INTERNAL_SECRET: is required/);
    for (const made of ['x'.repeat(32), 'secret'.repeat(6)]) {
      expect(() => loadAnalyticsConfig({ NODE_ENV: 'production', INTERNAL_SECRET: made })).toThrow(/INTERNAL_SECRET: is too predictable for production/);
    }
  });
});

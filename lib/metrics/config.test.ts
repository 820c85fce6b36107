import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../gateway/config.js';
import { loadAccountingConfig } from '../../subgraphs/accounting/config.js';

const dataDir = mkdtempSync(join(tmpdir(), 'paygraph-metrics-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const base = { NODE_ENV: 'test', DATA_DIR: dataDir };

describe('metrics configuration', () => {
  it('is off unless the service\'s port is set', () => {
    expect(loadGatewayConfig(base).metrics).toBeNull();
    expect(loadAccountingConfig(base).metrics).toBeNull();
  });

  it('binds to loopback unless METRICS_HOST says otherwise; 0 is any free port', () => {
    expect(loadGatewayConfig({ ...base, METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadAccountingConfig({ ...base, ACCOUNTING_METRICS_PORT: '0', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ port: 0, host: '0.0.0.0' });
    // one service's port is not another's
    expect(loadAccountingConfig({ ...base, METRICS_PORT: '9464' }).metrics).toBeNull();
  });

  it('stops with a message naming a bad port', () => {
    expect(() => loadGatewayConfig({ ...base, METRICS_PORT: 'metrics' })).toThrow(/^gateway: invalid configuration\n {2}METRICS_PORT/);
    expect(() => loadAccountingConfig({ ...base, ACCOUNTING_METRICS_PORT: '70000' })).toThrow(/ACCOUNTING_METRICS_PORT/);
  });
});

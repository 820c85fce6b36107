import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyAssets, isRuntimeAsset } from './build.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('npm run build: run-time assets', () => {
  it('are every file but TypeScript and tests', () => {
    expect(['subgraphs/payment/schema.graphql', 'gateway/explorer/index.html', 'gateway/explorer/static/explorer.js', 'schema/supergraph.graphql'].every(isRuntimeAsset)).toBe(true);
    expect(['lib/money.ts', 'lib/money.test.ts', 'gateway/x.test.js', 'types.d.ts'].some(isRuntimeAsset)).toBe(false);
  });

  it('are copied to the same relative paths under the output folder', () => {
    const from = mkdtempSync(join(tmpdir(), 'paygraph-build-src-'));
    const to = mkdtempSync(join(tmpdir(), 'paygraph-build-out-'));
    dirs.push(from, to);
    const files = { 'subgraphs/payment/schema.graphql': 'type Query', 'gateway/explorer/static/explorer.css': 'body{}', 'lib/a.ts': 'x', 'schema/supergraph.graphql': 'schema' };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(from, path)), { recursive: true });
      writeFileSync(join(from, path), text);
    }
    for (const dir of ['lib', 'system', 'gateway', 'subgraphs', 'simulators', 'scripts', 'tools', 'schema']) mkdirSync(join(from, dir), { recursive: true });
    const copied = copyAssets(from, to);
    expect(copied.sort()).toEqual(['gateway/explorer/static/explorer.css', 'schema/supergraph.graphql', 'subgraphs/payment/schema.graphql']);
    expect(readFileSync(join(to, 'subgraphs/payment/schema.graphql'), 'utf8')).toBe('type Query');
    expect(existsSync(join(to, 'lib/a.ts'))).toBe(false);
  });
});

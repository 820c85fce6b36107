import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifest, operationId, registeredOperations } from './manifest.js';

const QUERY = 'query Viewer { viewer { role } }';
const operation = (body: string, overrides: Record<string, unknown> = {}) => ({ id: operationId(body), name: 'Viewer', type: 'query', body, ...overrides });
const manifest = (...operations: unknown[]) => ({ format: 'apollo-persisted-query-manifest', version: 1, operations });

describe('the persisted query manifest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paygraph-manifest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an operation id is the SHA-256 of its body in lower-case hex, as Apollo Client hashes it', () => {
    expect(operationId('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('holds each operation by its id', () => {
    const fragment = 'query Viewer { viewer { ...Role } }\nfragment Role on Viewer { role }';
    const operations = registeredOperations(manifest(operation(QUERY), operation(fragment, { name: 'Viewer' })), 'test');
    expect([...operations.keys()]).toEqual([operationId(QUERY), operationId(fragment)]);
    expect(operations.get(operationId(QUERY))?.body).toBe(QUERY);
  });

  it.each([
    ['another format', { ...manifest(), format: 'relay' }, /format/],
    ['another version', { ...manifest(), version: 2 }, /version/],
    ['no operations list', { format: 'apollo-persisted-query-manifest', version: 1 }, /operations/],
    ['an id that is not a hash', manifest(operation(QUERY, { id: 'abc' })), /operations\.0\.id: must be the SHA-256/],
    ['an upper-case id', manifest(operation(QUERY, { id: operationId(QUERY).toUpperCase() })), /operations\.0\.id/],
    ['an id that is not its body\'s', manifest(operation(QUERY, { id: operationId('other') })), /operations\.0 \(Viewer\): id is not the SHA-256 of body/],
    ['an unknown type', manifest(operation(QUERY, { type: 'fetch' })), /operations\.0\.type/],
    ['a type that is not the body\'s', manifest(operation(QUERY, { type: 'mutation' })), /body is a query, not a mutation/],
    ['a name that is not the body\'s', manifest(operation(QUERY, { name: 'Other' })), /named Viewer, not Other/],
    ['a body that does not parse', manifest(operation('query Viewer {', { name: 'Viewer' })), /body does not parse/],
    ['a body of two operations', manifest(operation(`${QUERY} query Two { viewer { role } }`)), /one operation, not 2/],
    ['the same body twice', manifest(operation(QUERY), operation(QUERY)), /operations\.1 \(Viewer\): the same body is listed twice/],
  ])('refuses %s', (_, content, problem) => {
    expect(() => registeredOperations(content, 'manifest.json')).toThrow(problem);
  });

  it('reads a file, and refuses one that is missing or not JSON, naming it', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(manifest(operation(QUERY))));
    expect(loadManifest(good).size).toBe(1);
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, '{ operations: [');
    expect(() => loadManifest(notJson)).toThrow(/PERSISTED_OPERATIONS_FILE .*not-json\.json is not JSON/);
    expect(() => loadManifest(join(dir, 'missing.json'))).toThrow(/PERSISTED_OPERATIONS_FILE cannot be read/);
  });
});

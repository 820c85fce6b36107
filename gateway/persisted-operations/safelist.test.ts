import { describe, expect, it } from 'vitest';
import { operationId, registeredOperations } from './manifest.js';
import { operationRequestsOf, registered } from './safelist.js';

const QUERY = 'query Viewer { viewer { role } }';
const operations = registeredOperations(
  { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: operationId(QUERY), name: 'Viewer', type: 'query', body: QUERY }] },
  'test',
);
const persisted = (sha256Hash: unknown) => ({ persistedQuery: { version: 1, sha256Hash } });

describe('the safelist', () => {
  it('admits a registered text, with or without a hash, and a registered id alone', () => {
    expect(registered(operations, { query: QUERY })).toBe(true);
    expect(registered(operations, { query: QUERY, extensions: persisted(operationId(QUERY)) })).toBe(true);
    expect(registered(operations, { extensions: persisted(operationId(QUERY)) })).toBe(true);
  });

  it('judges the text that runs, not the hash sent with it', () => {
    expect(registered(operations, { query: '{ viewer { role } }', extensions: persisted(operationId(QUERY)) })).toBe(false);
  });

  it.each([
    ['other text', { query: '{ viewer { role } }' }],
    ['an unknown id', { extensions: persisted(operationId('other')) }],
    ['a hash that is not a string', { extensions: persisted(42) }],
    ['no text and no id', { extensions: {} }],
    ['a text that is not a string', { query: { kind: 'Document' }, extensions: persisted(operationId(QUERY)) }],
  ])('refuses %s', (_, request) => {
    expect(registered(operations, request)).toBe(false);
  });
});

describe('the operations of an HTTP request, read as Apollo Server reads them', () => {
  it('a POST body, or each of a batch', () => {
    expect(operationRequestsOf({ method: 'POST', url: '/', body: { query: QUERY } })).toEqual([{ query: QUERY }]);
    expect(operationRequestsOf({ method: 'POST', url: '/', body: [{ query: QUERY }, { query: 'x' }] })).toHaveLength(2);
    expect(operationRequestsOf({ method: 'POST', url: '/', body: 'query' })).toBeNull();
    expect(operationRequestsOf({ method: 'POST', url: '/', body: [{}, null] })).toBeNull();
  });

  it('the query and extensions parameters of a GET, each at most once', () => {
    const extensions = JSON.stringify(persisted(operationId(QUERY)));
    expect(operationRequestsOf({ method: 'GET', url: `/?extensions=${encodeURIComponent(extensions)}`, body: undefined })).toEqual([
      { query: undefined, extensions: persisted(operationId(QUERY)) },
    ]);
    expect(operationRequestsOf({ method: 'GET', url: `/?query=${encodeURIComponent(QUERY)}`, body: undefined })).toEqual([{ query: QUERY, extensions: undefined }]);
    expect(operationRequestsOf({ method: 'GET', url: '/?query=a&query=b', body: undefined })).toBeNull();
    expect(operationRequestsOf({ method: 'GET', url: '/?extensions={', body: undefined })).toBeNull();
    expect(operationRequestsOf({ method: 'PUT', url: '/', body: { query: QUERY } })).toBeNull();
  });
});

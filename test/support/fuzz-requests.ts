import fc from 'fast-check';
import { hostileText } from './fuzz-values.js';

/** A request as the fuzz test sends it raw; `chunked`: the body is streamed without a Content-Length. */
export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'OPTIONS';
  /** path and query, e.g. /graphql?query=… */
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
  chunked: boolean;
}

const STATEMENT_PATH = '/statements/transactions.csv';
const GRAPHQL_BODY_LIMIT = 256 * 1024;

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/graphql',
  'application/graphql-response+json',
  'application/xml',
  '',
);

const contentTypeHeader = (contentType: string): Record<string, string> => (contentType ? { 'content-type': contentType } : {});

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

/** `extensions.persistedQuery` as clients get it wrong: wrong hashes, versions, types. */
const persistedQuery = fc.oneof(
  fc.record({ version: fc.constant(1), sha256Hash: hex(64) }),
  fc.record({ version: fc.constantFrom(0, 2, -1, '1', null), sha256Hash: hex(64) }),
  fc.record({ version: fc.constant(1), sha256Hash: fc.oneof(hostileText, fc.integer(), fc.constant(null), hex(63), hex(65)) }),
  fc.constantFrom<unknown>('x', 1, null, [], { version: 1 }),
);

const typenameQuery = '{ __typename }';

/** Percent-encoding that also writes lone surrogates (encodeURIComponent throws on them): as bytes that are not UTF-8. */
const encodeText = (text: string) => Array.from(text, (char) => (/^[\uD800-\uDFFF]$/.test(char) ? '%ED%A0%80' : encodeURIComponent(char))).join('');

/** JSON bodies of a GraphQL request with a part of the wrong type or shape. */
const oddJsonBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', '1', '"x"', 'true', '[]', '{}', '[[]]', '{"query":', '\uFEFF{"query":"{ __typename }"}', '{"query":"{ __typename }","query":1}', '{"__proto__":{"query":"{ __typename }"}}'),
  fc.anything({ maxDepth: 2 }).map((query) => JSON.stringify({ query }) ?? '{}'),
  fc.oneof(fc.constant(typenameQuery), hostileText).chain((query) =>
    fc.record({ operationName: fc.anything({ maxDepth: 1 }), variables: fc.anything({ maxDepth: 2 }) }).map((rest) => JSON.stringify({ query, ...rest }) ?? '{}'),
  ),
  fc.integer({ min: 2, max: 40 }).map((count) => JSON.stringify(Array.from({ length: count }, () => ({ query: typenameQuery })))),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 5 }).map((batch) => JSON.stringify(batch)),
  fc.record({ query: fc.option(fc.constant(typenameQuery), { nil: undefined }), extensions: fc.record({ persistedQuery }) }).map((body) => JSON.stringify(body)),
  fc.constantFrom(100_000, 250_000, 300_000).map((length) => JSON.stringify({ query: 'query($v: String) { __typename }', variables: { v: 'x'.repeat(length) } })),
  fc.constantFrom(1000, 10_000, 100_000).map((depth) => `{"query":"{ __typename }","variables":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
  fc.constantFrom('1e400', '-0', '-1e400').map((number) => `{"query":"query($n: Int) { __typename }","variables":{"n":${number}}}`),
);

const graphqlPost: fc.Arbitrary<RawRequest> = fc
  .record({
    contentType: contentTypes,
    body: fc.oneof(
      { weight: 4, arbitrary: oddJsonBody },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
      { weight: 1, arbitrary: fc.constant(`query=${encodeURIComponent(typenameQuery)}`) },
    ),
    chunked: fc.boolean(),
  })
  .map(({ contentType, body, chunked }): RawRequest => ({
    method: 'POST' as const,
    path: '/graphql',
    headers: contentTypeHeader(contentType),
    body,
    chunked,
  }));

const queryParameter = fc.oneof(
  fc.constant(`query=${encodeURIComponent(typenameQuery)}`),
  fc.constant(`query=${encodeURIComponent('mutation { __typename }')}`),
  fc.constant('query=a&query=b'),
  fc.constant('query[]=a&query[x]=b'),
  fc.constant(`query=${encodeURIComponent(typenameQuery)}&variables=not-json`),
  fc.constant(`query=${encodeURIComponent(typenameQuery)}&variables=${encodeURIComponent('[1]')}`),
  fc.constant(`query=${encodeURIComponent(typenameQuery)}&extensions=${encodeURIComponent('{"persistedQuery":{"version":1,"sha256Hash":"00"}}')}`),
  persistedQuery.map((pq) => `extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: pq }))}`),
  fc.constant('query=%00'),
  fc.constant('query=%E0%A4%A'),
  fc.constantFrom(12_000, 20_000).map((length) => `query=${'a'.repeat(length)}`),
  hostileText.map((text) => `query=${encodeText(text)}&operationName=${encodeText(text)}`),
  fc.constant(''),
);

const graphqlGet: fc.Arbitrary<RawRequest> = fc
  .record({ query: queryParameter, preflight: fc.boolean(), accept: fc.constantFrom('application/json', '*/*', 'text/event-stream', 'multipart/mixed', 'application/graphql-response+json') })
  .map(({ query, preflight, accept }) => ({
    method: 'GET' as const,
    path: `/graphql?${query}`,
    headers: { accept, ...(preflight ? { 'apollo-require-preflight': 'true' } : {}) },
    body: null,
    chunked: false,
  }));

const statementRequest: fc.Arbitrary<RawRequest> = fc
  .record({
    from: fc.oneof(fc.constant('2026-01-01T00:00:00Z'), hostileText),
    to: fc.oneof(fc.constant('2026-12-31T00:00:00Z'), hostileText),
    merchantId: fc.option(fc.oneof(hostileText, fc.constantFrom('mch_x"; filename="evil.sh', 'a\r\nSet-Cookie: x=1')), { nil: undefined }),
    repeated: fc.boolean(),
  })
  .map(({ from, to, merchantId, repeated }) => {
    const parameters = new URLSearchParams({ from, to, ...(merchantId === undefined ? {} : { merchantId }) });
    if (repeated) parameters.append('from', from);
    return { method: 'GET' as const, path: `${STATEMENT_PATH}?${parameters.toString()}`, headers: {}, body: null, chunked: false };
  });

const callbackRequest: fc.Arbitrary<RawRequest> = fc
  .record({
    channel: fc.constantFrom('card', 'alipay', 'wechat_pay', 'CARD', 'unknown', '..%2F..%2Fhealth', '%00'),
    contentType: contentTypes,
    body: fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      oddJsonBody,
      fc.constantFrom(200_000, 300_000).map((length) => 'x'.repeat(length)),
    ),
    chunked: fc.boolean(),
  })
  .map(({ channel, contentType, body, chunked }) => ({
    method: 'POST' as const,
    path: `/callbacks/${channel}`,
    headers: contentTypeHeader(contentType),
    body,
    chunked,
  }));

const otherMethod: fc.Arbitrary<RawRequest> = fc.constantFrom<RawRequest>(
  { method: 'PUT', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: typenameQuery }), chunked: false },
  { method: 'OPTIONS', path: '/graphql', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' }, body: null, chunked: false },
  { method: 'GET', path: '/graphql/%2e%2e/health', headers: {}, body: null, chunked: false },
  { method: 'GET', path: '/%00', headers: {}, body: null, chunked: false },
  { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(GRAPHQL_BODY_LIMIT + 10), chunked: true },
);

/** Requests that are wrong in some way: bytes, content types, shapes, batches, persisted queries, GET parameters, callbacks, statements. */
export const malformedRequest: fc.Arbitrary<RawRequest> = fc.oneof(
  { weight: 6, arbitrary: graphqlPost },
  { weight: 3, arbitrary: graphqlGet },
  { weight: 1, arbitrary: statementRequest },
  { weight: 1, arbitrary: callbackRequest },
  { weight: 1, arbitrary: otherMethod },
);

/** The request as fetch options (a chunked body is streamed, so that no Content-Length is sent). */
export function fetchInit(request: RawRequest, authorization: string | null): RequestInit {
  const headers = { ...request.headers, ...(authorization ? { authorization } : {}) };
  if (request.body === null) return { method: request.method, headers };
  const bytes = typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body;
  if (!request.chunked) return { method: request.method, headers, body: bytes };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let offset = 0; offset < bytes.length; offset += 16_384) controller.enqueue(bytes.slice(offset, offset + 16_384));
      controller.close();
    },
  });
  return { method: request.method, headers, body, duplex: 'half' };
}

/** A short description of a request for a finding's example. */
export function describeRequest(request: RawRequest, role: string): string {
  const body = request.body === null ? '' : typeof request.body === 'string' ? request.body : `<${request.body.length} bytes>`;
  return `${role} ${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers)}${request.chunked ? ' chunked' : ''} ${JSON.stringify(body.slice(0, 300))}`;
}

import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { createErrorFormatter, fail, toGraphQLError } from '../../lib/errors.js';
import { webSocketUrlOf } from '../subscription-over-http.js';

/** An error as Apollo Server hands it to formatError: its JSON with a code filled in (INTERNAL_SERVER_ERROR when it had none), and the error. */
const asApolloFormats = (error: GraphQLError) => [{ ...error.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR', ...error.extensions, http: undefined } }, error] as const;

describe('automatic persisted query refusals, as clients see them', () => {
  it("Apollo's PersistedQueryNotFound passes as it is (what Apollo Client's link retries on) and is not an internal error", () => {
    const onInternalError = vi.fn();
    const notFound = new GraphQLError('PersistedQueryNotFound', { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    const [formatted] = asApolloFormats(notFound);
    expect(createErrorFormatter({ onInternalError })({ message: formatted.message, extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }, notFound)).toEqual({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
    expect(onInternalError).not.toHaveBeenCalled();
  });

  it.each([
    ['provided sha does not match query', 'extensions.persistedQuery.sha256Hash'],
    ['Unsupported persisted query version', 'extensions.persistedQuery.version'],
  ])("Apollo's code-less %j is BAD_USER_INPUT naming the field, not a masked internal error", (message, field) => {
    const onInternalError = vi.fn();
    const error = new GraphQLError(message, { extensions: { http: { status: 400 } } });
    const formatted = createErrorFormatter({ onInternalError })({ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error);
    expect(formatted).toEqual({ message: expect.stringMatching(new RegExp(`^${field.replace(/\./g, '\\.')}: `)), extensions: { field, code: 'BAD_USER_INPUT' } });
    expect(onInternalError).not.toHaveBeenCalled();
  });

  it('the same message from anything but Apollo keeps its code and is not rewritten', () => {
    const onInternalError = vi.fn();
    const error = new GraphQLError('provided sha does not match query', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(createErrorFormatter({ onInternalError })({ message: error.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error).extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('PERSISTED_QUERY_NOT_ALLOWED is HTTP 400', () => {
    expect(toGraphQLError(fail.persistedQueryNotAllowed()).extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_ALLOWED', http: { status: 400 } });
  });
});

describe('the WebSocket URL a subscription sent over HTTP is pointed to', () => {
  const request = (headers: [string, string][]) => ({ method: 'POST', headers: new HeaderMap(headers), search: '', body: {} });

  it('is the Host the request reached, wss behind a TLS proxy', () => {
    expect(webSocketUrlOf(request([['host', 'api.example.com:4000']]))).toBe('ws://api.example.com:4000/graphql');
    expect(webSocketUrlOf(request([['host', 'api.example.com'], ['x-forwarded-proto', 'https, http']]))).toBe('wss://api.example.com/graphql');
  });

  it('names no host it was not given, and echoes none that is not a host name', () => {
    expect(webSocketUrlOf(request([]))).toBe('ws://<host>/graphql');
    expect(webSocketUrlOf(request([['host', 'evil.example/<script>']]))).toBe('ws://<host>/graphql');
  });
});

import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { withRequestId } from './request-context.js';

/** The contract's error codes: the only values `extensions.code` may take. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  INVALID_STATE: 'INVALID_STATE',
  AMOUNT_TOO_LARGE: 'AMOUNT_TOO_LARGE',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_ALLOWED: 'PERSISTED_QUERY_NOT_ALLOWED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const contractCodes = new Set<string>(Object.values(ErrorCode));

/** An expected refusal raised by domain code; one mapping below turns it into a GraphQL error. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const fail = {
  unauthenticated: (message = 'A valid API key is required: Authorization: Bearer <api key>') =>
    new DomainError(ErrorCode.UNAUTHENTICATED, message),
  forbidden: (message = 'This API key may not perform this operation') => new DomainError(ErrorCode.FORBIDDEN, message),
  badInput: (field: string, message: string) =>
    new DomainError(ErrorCode.BAD_USER_INPUT, `${field}: ${message}`, { field }),
  notFound: (what: string, id: string) => new DomainError(ErrorCode.NOT_FOUND, `${what} ${id} not found`, { id }),
  invalidState: (message: string, details: Record<string, unknown> = {}) =>
    new DomainError(ErrorCode.INVALID_STATE, message, details),
  amountTooLarge: (message: string) => new DomainError(ErrorCode.AMOUNT_TOO_LARGE, message),
  idempotencyKeyReused: () =>
    new DomainError(
      ErrorCode.IDEMPOTENCY_KEY_REUSED,
      'This idempotency key was already used with a different request; use a new key for a new request',
    ),
  idempotencyKeyInUse: () =>
    new DomainError(
      ErrorCode.IDEMPOTENCY_KEY_IN_USE,
      'A request with this idempotency key is still being processed; retry later',
    ),
  /** `details` says what was measured against which limit, e.g. `{ cost: 40200, limit: 10000 }` */
  queryTooComplex: (message: string, details: Record<string, unknown> = {}) => new DomainError(ErrorCode.QUERY_TOO_COMPLEX, message, details),
  /** retryAfter: whole seconds until a retry may succeed (also sent as the Retry-After header), when a time can be told */
  rateLimited: (message: string, retryAfter?: number) =>
    new DomainError(ErrorCode.RATE_LIMITED, message, retryAfter === undefined ? {} : { retryAfter }),
  persistedQueryNotFound: () =>
    new DomainError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, 'PersistedQueryNotFound: send the query text with its hash'),
  persistedQueryNotAllowed: () =>
    new DomainError(ErrorCode.PERSISTED_QUERY_NOT_ALLOWED, 'Only registered operations are accepted here'),
};

const httpStatus: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, RATE_LIMITED: 429, PERSISTED_QUERY_NOT_ALLOWED: 400 };

/** For failures outside resolvers (e.g. authentication while building the context): keeps the code and sets the HTTP status. */
export function toGraphQLError(error: DomainError): GraphQLError {
  const status = httpStatus[error.code];
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { ...error.details, code: error.code, ...(status ? { http: { status } } : {}) },
  });
}

/** GraphQL-level failures (parse, validation, variable coercion) are bad input in the contract's terms. */
const graphqlInputCodes = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_SUPPORTED']);

/**
 * Apollo Server refuses a malformed automatic persisted query (with HTTP 400) by a GraphQLError
 * without a code, which would read as an internal error: bad input, by its message.
 * (PersistedQueryNotFound has its code, which the contract lists: it passes as Apollo words it,
 * with HTTP 200, the message and code Apollo Client's persisted query link retries on.)
 */
const persistedQueryRefusals: Record<string, () => DomainError> = {
  'provided sha does not match query': () => fail.badInput('extensions.persistedQuery.sha256Hash', 'is not the SHA-256 hash of the query sent with it'),
  'Unsupported persisted query version': () => fail.badInput('extensions.persistedQuery.version', 'only version 1 is supported'),
};

function persistedQueryRefusal(formatted: GraphQLFormattedError, original: unknown): DomainError | null {
  const refusal = Object.hasOwn(persistedQueryRefusals, formatted.message) ? persistedQueryRefusals[formatted.message] : undefined;
  const originalCode = (original as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return refusal && formatted.extensions?.['code'] === ErrorCode.INTERNAL_SERVER_ERROR && originalCode === undefined ? refusal() : null;
}

export interface ErrorFormatterOptions {
  /** called with errors that are not expected refusals; their details never reach the client */
  onInternalError?: (error: unknown) => void;
}

/** Apollo Server's formatError: the single place where errors become what clients see, each with the id of its request. */
export function createErrorFormatter(options: ErrorFormatterOptions = {}) {
  const format = contractError(options);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const answer = format(formatted, error);
    return { ...answer, extensions: withRequestId({ ...answer.extensions }) };
  };
}

function contractError(options: ErrorFormatterOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    let original = unwrapResolverError(error);
    // Duck-typed, not `instanceof GraphQLError`: where graphql is loaded twice (its ESM and CommonJS
    // builds, as under vitest), Apollo's errors are not instances of the GraphQLError imported here.
    const cause = (original as { originalError?: unknown } | null)?.originalError;
    if (cause instanceof DomainError) original = cause;
    original = persistedQueryRefusal(formatted, original) ?? original;
    if (original instanceof DomainError) {
      return {
        message: original.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { ...original.details, code: original.code },
      };
    }
    const code = formatted.extensions?.['code'];
    if (typeof code === 'string' && contractCodes.has(code)) {
      if (code === ErrorCode.INTERNAL_SERVER_ERROR) {
        // One that came from a subgraph (serviceName set by the gateway) was logged there already.
        if (formatted.extensions?.['serviceName'] === undefined) options.onInternalError?.(original);
        return masked(formatted);
      }
      return code === ErrorCode.BAD_USER_INPUT ? withoutInputValues(formatted) : formatted;
    }
    if (typeof code === 'string' && graphqlInputCodes.has(code)) {
      return { ...withoutInputValues(formatted), extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    if (original instanceof GraphQLError && !original.originalError && !code) {
      return { ...formatted, extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    options.onInternalError?.(original);
    return masked(formatted);
  };
}

/**
 * graphql-js quotes the input it refuses ('got invalid value { number: "4242…", cvc: "123" } at
 * "input.card"', 'String cannot represent a non string value: 4242…'); input may be a card, so the
 * quoted value is cut out of the message. What was wrong, and where, stays.
 */
const echoedInput: [RegExp, string][] = [
  [/ got invalid value .*?(?= at "[\w.[\]]+"; |; )/s, ' got an invalid value'],
  [/(?<=cannot represent [\w -]*value): .*$/s, ''],
  [/(?<=Expected value of type "[^"]+"), found .*?(?=; |\.?$)/s, ''],
];

function withoutInputValues(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return { ...formatted, message: echoedInput.reduce((text, [pattern, by]) => text.replace(pattern, by), formatted.message) };
}

function masked(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

import { operationId, type RegisteredOperations } from './manifest.js';

/** The parts of a GraphQL request a safelist looks at, as sent (unchecked). */
export interface OperationRequest {
  query?: unknown;
  extensions?: unknown;
}

/** The hash of `extensions.persistedQuery`, when the request names one. */
export function persistedQueryHash(extensions: unknown): string | undefined {
  const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined)?.persistedQuery;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

/**
 * May this request run where only registered operations do? Its text must be a registered body
 * (what runs is the text, whatever hash comes with it), or, without text, its hash a registered id.
 * Anything else is refused.
 */
export function registered(operations: RegisteredOperations, request: OperationRequest): boolean {
  if (typeof request.query === 'string') return operations.has(operationId(request.query));
  if (request.query !== undefined && request.query !== null) return false;
  const hash = persistedQueryHash(request.extensions);
  return hash !== undefined && operations.has(hash);
}

export interface HttpGraphQLRequest {
  method: string;
  /** the request's path and query string */
  url: string;
  /** the JSON body, as express.json parsed it (a batch is an array) */
  body: unknown;
}

/**
 * The operations of an HTTP request, read where Apollo Server reads them (runHttpQuery): the JSON
 * body of a POST, the `query` and `extensions` parameters of a GET. Null when they cannot be read;
 * Apollo refuses such a request too.
 */
export function operationRequestsOf(http: HttpGraphQLRequest): OperationRequest[] | null {
  if (http.method === 'POST') {
    const requests: unknown[] = Array.isArray(http.body) ? http.body : [http.body];
    return requests.every((one) => typeof one === 'object' && one !== null) ? (requests) : null;
  }
  if (http.method !== 'GET') return null;
  const search = new URLSearchParams(http.url.includes('?') ? http.url.slice(http.url.indexOf('?')) : '');
  const queries = search.getAll('query');
  const extensions = search.getAll('extensions');
  if (queries.length > 1 || extensions.length > 1) return null;
  try {
    return [{ query: queries[0], extensions: extensions[0] === undefined ? undefined : JSON.parse(extensions[0]) }];
  } catch {
    return null;
  }
}

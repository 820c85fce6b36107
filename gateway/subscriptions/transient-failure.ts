import { ErrorCode } from '../../lib/errors.js';
import { InternalCallError } from '../../lib/internal-client.js';

/**
 * Whether an error in an event's result may pass on its own: a fetch that threw (a subgraph
 * unreachable, a reset connection, a timeout: Apollo passes the fetcher's error on as it is, with no
 * GraphQL extensions) or a server fault (INTERNAL_SERVER_ERROR: a 5xx answer, or a subgraph whose
 * database is down). Any other code is the answer itself (the client's fault, a field that refuses).
 * Duck-typed: under vitest Apollo's GraphQLErrors may come from another copy of graphql.
 */
export function isTransientError(error: unknown): boolean {
  const extensions = (error as { extensions?: unknown } | null)?.extensions;
  if (typeof extensions !== 'object' || extensions === null) return true;
  return (extensions as { code?: unknown }).code === ErrorCode.INTERNAL_SERVER_ERROR;
}

/**
 * Whether a call of the payment subgraph's replay route failed in a way that may pass: not reached,
 * a 5xx, or refused as a server fault. Its 4xx refusals (a bad cursor) are the answer.
 */
export function isTransientCallFailure(error: unknown): boolean {
  if (!(error instanceof InternalCallError)) return false;
  if (error.status === null || error.status >= 500) return true;
  return error.refusal?.code === ErrorCode.INTERNAL_SERVER_ERROR;
}

import type { FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../lib/errors.js';

/**
 * A subgraph answers HTTP 400 to variables it cannot coerce (a Decimal given as a number, "ten"): the
 * gateway's supergraph scalars accept anything, so only the subgraph can tell. Its BAD_USER_INPUT
 * error is the answer; Apollo's default would turn the non-2xx response into a masked internal error.
 * Null for any other answer (a 401 means the gateway's own signing failed): the default then applies.
 */
export async function subgraphRefusal(response: FetcherResponse): Promise<GraphQLError | null> {
  if (response.status !== 400) return null;
  const body = (await response.json().catch(() => null)) as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null;
  const refusal = body?.errors?.find((error) => error.extensions?.code === ErrorCode.BAD_USER_INPUT);
  if (!refusal || typeof refusal.message !== 'string') return null;
  return new GraphQLError(refusal.message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

/**
 * Apollo's error for any other failed answer codes only a 401 or 403: a 5xx (a subgraph whose
 * database is down, a proxy's 502 or 503) would reach the client without a code, which reads as the
 * client's fault. It is a server fault, and the subscription executor retries those.
 */
export function asServerFault(error: GraphQLError): GraphQLError {
  if (error.extensions['code'] !== undefined) return error;
  return new GraphQLError(error.message, { extensions: { ...error.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR } });
}

/** A GraphQL error as the gateway answers it. */
export interface GraphQLResponseError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** A GraphQL answer; `T` is the operation's result type (unknown until the caller declares it). */
export interface GraphQLResponse<T = unknown> {
  data?: T | null;
  errors?: GraphQLResponseError[];
}

/**
 * The data of an answer that must have succeeded, as graphql-hive's testkit does it: throws with the
 * errors' codes and messages when there are any, or when there is no data.
 */
export function expectNoErrors<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length) {
    const listed = response.errors.map((error) => `${error.extensions?.code ?? 'NO_CODE'}: ${error.message}${error.path ? ` at ${error.path.join('.')}` : ''}`);
    throw new Error(`the operation failed: ${listed.join('; ')}`);
  }
  if (response.data === undefined || response.data === null) throw new Error('the operation answered no data and no errors');
  return response.data;
}

/** Sends one GraphQL request to a gateway as a client does, with its API key (or none). */
export function gatewayClient(gatewayUrl: string) {
  return async <T = unknown>(apiKey: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> => {
    const response = await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<T>;
  };
}

import { httpRequest } from '../lib/http-request.js';

// The load generator shares the CPU with what it measures: keep-alive node:http, not fetch.
export async function gql(url: string, key: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await httpRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = JSON.parse(response.body) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

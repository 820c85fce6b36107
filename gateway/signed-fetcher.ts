import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { httpRequest, type HttpAnswer } from '../lib/http-request.js';
import { PRINCIPAL_HEADER, SIGNATURE_HEADER, signRequest } from '../lib/internal-signature.js';
import { requestIdHeader } from '../lib/request-context.js';
import { tracedPost } from '../lib/tracing/client-span.js';

/** POSTs a GraphQL body to one subgraph, signed for it with the principal, and resolves with its whole answer. */
export type SignedPost = (body: string, principal: string, headers?: Record<string, string>) => Promise<HttpAnswer>;

/**
 * How the gateway posts to the subgraph `service` at `url`: it signs the exact body it sends, its method
 * and path, for that subgraph, together with the principal header, so the subgraph can trust them all.
 * It goes over a keep-alive node:http Agent: undici's fetch cost more CPU than the rest of the
 * gateway's work on a call.
 */
export function signedPost(secret: string, service: string, url: string): SignedPost {
  const parsed = new URL(url);
  const path = `${parsed.pathname}${parsed.search}`;
  const post: SignedPost = (body, principal, headers) =>
    httpRequest(url, {
      method: 'POST',
      headers: {
        ...headers,
        // unsigned: it only names the request in the subgraph's logs
        ...requestIdHeader(),
        'content-type': 'application/json',
        [PRINCIPAL_HEADER]: principal,
        [SIGNATURE_HEADER]: signRequest(secret, { method: 'POST', service, path, principal, body }),
      },
      body,
    });
  // the traceparent travels beside the signed headers, as one of `headers`
  return tracedPost('gateway', service, url, post);
}

/** The same signing as a fetch, for what calls a data source's `fetcher` (RemoteGraphQLDataSource's own sendRequest). */
export function signingFetcher(secret: string, service: string): Fetcher {
  const posts = new Map<string, SignedPost>();
  return async (url, init) => {
    const headers = { ...(init?.headers as Record<string, string>) };
    const principal = headers[PRINCIPAL_HEADER];
    if (principal === undefined) throw new Error('no principal on a subgraph request');
    if (init?.method !== undefined && init.method !== 'POST') throw new Error('subgraph requests are POSTs');
    let post = posts.get(url);
    if (!post) posts.set(url, (post = signedPost(secret, service, url)));
    return fetcherResponse(url, await post(typeof init?.body === 'string' ? init.body : '', principal, headers));
  };
}

/** The part of a fetch Response that RemoteGraphQLDataSource and subgraphRefusal read. */
export function fetcherResponse(url: string, answer: HttpAnswer): FetcherResponse {
  const response = {
    url,
    ok: answer.status >= 200 && answer.status < 300,
    status: answer.status,
    statusText: answer.statusText,
    redirected: false,
    type: 'basic',
    bodyUsed: false,
    headers: {
      get: (name: string) => {
        const value = answer.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: async () => answer.body,
    json: async () => JSON.parse(answer.body) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(answer.body).buffer,
    clone: () => fetcherResponse(url, answer),
  };
  return response as unknown as FetcherResponse;
}

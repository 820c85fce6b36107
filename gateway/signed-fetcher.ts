import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { httpRequest, type HttpAnswer } from '../lib/http-request.js';
import { PRINCIPAL_HEADER, SIGNATURE_HEADER, signRequest } from '../lib/internal-signature.js';

/**
 * The fetch the gateway uses towards the subgraph `service`: it signs the exact body it sends, its
 * method and path, for that subgraph, together with the principal header set by the data source, so
 * the subgraph can trust them all. It goes over a keep-alive node:http Agent: undici's fetch cost more
 * CPU than the rest of the gateway's work on a call.
 */
export function signingFetcher(secret: string, service: string): Fetcher {
  // a data source always fetches the same URL: its path is parsed once
  let lastUrl = '';
  let lastPath = '';
  const pathOf = (url: string) => {
    if (url !== lastUrl) {
      const parsed = new URL(url);
      lastPath = `${parsed.pathname}${parsed.search}`;
      lastUrl = url;
    }
    return lastPath;
  };
  return async (url, init) => {
    const headers = { ...(init?.headers as Record<string, string>) };
    const principal = headers[PRINCIPAL_HEADER];
    if (principal === undefined) throw new Error('no principal on a subgraph request');
    const body = typeof init?.body === 'string' ? init.body : '';
    const method = init?.method === 'GET' ? 'GET' : 'POST';
    headers[SIGNATURE_HEADER] = signRequest(secret, { method, service, path: pathOf(url), principal, body });
    const answer = await httpRequest(url, { method, headers, body });
    return fetcherResponse(url, answer);
  };
}

/** The part of a fetch Response that RemoteGraphQLDataSource and subgraphRefusal read. */
function fetcherResponse(url: string, answer: HttpAnswer): FetcherResponse {
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

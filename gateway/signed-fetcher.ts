import type { Fetcher } from '@apollo/utils.fetcher';
import { PRINCIPAL_HEADER, SIGNATURE_HEADER, signRequest } from '../lib/internal-signature.js';

/**
 * The fetch the gateway uses towards subgraphs: it signs the exact body it sends together with the
 * principal header set by the data source, so a subgraph can trust both.
 */
export function signingFetcher(secret: string): Fetcher {
  return async (url, init) => {
    const headers = { ...(init?.headers as Record<string, string>) };
    const principal = headers[PRINCIPAL_HEADER];
    if (principal === undefined) throw new Error('no principal on a subgraph request');
    const body = typeof init?.body === 'string' ? init.body : '';
    headers[SIGNATURE_HEADER] = signRequest(secret, principal, body);
    const response = await fetch(url, { method: init?.method ?? 'POST', headers, body });
    return response;
  };
}

import { createAuthenticator } from '../../gateway/authentication.js';
import { paymentSubgraphLookup } from '../../gateway/principal-lookup.js';

/**
 * The comparison gateways find the caller's principal as ours does (the key's hash asked of the
 * payment subgraph once, then cached), without our rate limits and plugins: the subgraphs refuse a
 * request without a signed principal.
 */
export function benchAuthenticator() {
  const secret = process.env['INTERNAL_SECRET'];
  const payment = process.env['PAYMENT_SUBGRAPH_URL'];
  if (!secret || !payment) throw new Error('INTERNAL_SECRET and PAYMENT_SUBGRAPH_URL are needed');
  return {
    secret,
    authenticate: createAuthenticator({ adminApiKey: process.env['ADMIN_API_KEY'] ?? '', lookup: paymentSubgraphLookup(payment, secret), cacheTtlMs: 60_000 }),
  };
}

/** Each subgraph's URL from the environment the gateways share (PAYMENT_SUBGRAPH_URL, …). */
export function subgraphUrl(name: string): string {
  const url = process.env[`${name.toUpperCase()}_SUBGRAPH_URL`];
  if (!url) throw new Error(`${name.toUpperCase()}_SUBGRAPH_URL is needed`);
  return `${url}/graphql`;
}

import { callInternalRoute } from '../lib/internal-client.js';
import { principalRoute } from '../subgraphs/payment/contract/internal-routes.js';
import type { PrincipalLookup } from './authentication.js';

/** Asks the payment subgraph (it owns API keys) which principal a key hash belongs to, over a request signed like any other. */
export function paymentSubgraphLookup(paymentUrl: string, internalSecret: string): PrincipalLookup {
  return async (keyHash) => {
    const { principal, expiresAt } = await callInternalRoute(principalRoute, paymentUrl, internalSecret, { keyHash });
    return principal && { principal, expiresAt: expiresAt === null ? null : Date.parse(expiresAt) };
  };
}

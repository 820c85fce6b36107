import { httpRequest } from '../lib/http-request.js';
import { signedJsonHeaders, SYSTEM_PRINCIPAL } from '../lib/internal-signature.js';
import type { Principal } from '../lib/principal.js';
import type { PrincipalLookup } from './authentication.js';

/** The path of the payment subgraph's key lookup (it owns API keys). */
const PRINCIPAL_PATH = '/internal/principal';

/** Asks the payment subgraph which principal a key hash belongs to, over a request signed like any other. */
export function paymentSubgraphLookup(paymentUrl: string, internalSecret: string): PrincipalLookup {
  return async (keyHash) => {
    const body = JSON.stringify({ keyHash });
    const response = await httpRequest(`${paymentUrl}${PRINCIPAL_PATH}`, {
      method: 'POST',
      headers: signedJsonHeaders(internalSecret, SYSTEM_PRINCIPAL, body),
      body,
      timeoutMs: 5_000,
    });
    if (response.status !== 200) throw new Error(`API key lookup failed: HTTP ${response.status}`);
    const answer = JSON.parse(response.body) as { principal: Principal | null };
    return answer.principal;
  };
}

import { displayPrefix } from '../../lib/api-key.js';
import { expectNoErrors, gatewayClient, type GraphQLResponse } from './graphql.js';
import type { System } from './system.js';

/** An ApiKey as the API lists it. */
export interface ListedApiKey {
  id: string;
  prefix: string;
  role: 'MERCHANT' | 'ANALYST';
  merchant: { id: string } | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

const FIELDS = 'id prefix role merchant { id } createdAt lastUsedAt expiresAt revokedAt';

/** The API-key operations through one gateway (the system's first unless its URL is given). */
export function apiKeyClient(system: System, gatewayUrl = system.gatewayUrl) {
  const query = gatewayClient(gatewayUrl);
  const list = (caller: string | null, merchantId?: string) =>
    query<{ apiKeys: ListedApiKey[] }>(caller, `query($merchantId: ID) { apiKeys(merchantId: $merchantId) { ${FIELDS} } }`, { merchantId });
  return {
    list,
    /** the listed key whose prefix is `apiKey`'s, as its merchant's admin sees it */
    async find(apiKey: string, merchantId?: string): Promise<ListedApiKey> {
      const keys = expectNoErrors(await list(system.adminKey, merchantId)).apiKeys;
      const found = keys.find((key) => key.prefix === displayPrefix(apiKey));
      if (!found) throw new Error(`no listed key has the prefix of ${displayPrefix(apiKey)}`);
      return found;
    },
    revoke: (caller: string, id: string) => query<{ revokeApiKey: ListedApiKey }>(caller, `mutation($id: ID!) { revokeApiKey(id: $id) { ${FIELDS} } }`, { id }),
    roll: (caller: string, id: string, expiresInSeconds?: number) =>
      query<{ rollApiKey: { apiKey: string; role: string; merchant: { id: string } | null } }>(
        caller,
        'mutation($input: RollApiKeyInput!) { rollApiKey(input: $input) { apiKey role merchant { id } } }',
        { input: { id, expiresInSeconds } },
      ),
    /** the code a request with the key is refused with; undefined when it is served */
    refusalOf: async (apiKey: string): Promise<string | undefined> => codeOf(await query(apiKey, '{ viewer { role } }')),
  };
}

export function codeOf(response: GraphQLResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

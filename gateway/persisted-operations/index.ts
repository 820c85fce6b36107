import type { ApolloServerPlugin, BaseContext, PersistedQueryOptions } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { fail, toGraphQLError } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import type { GatewayConfig } from '../config.js';
import { loadManifest, type RegisteredOperations } from './manifest.js';
import { redisQueryCache, registeringNothing } from './redis-query-cache.js';
import { operationRequestsOf, persistedQueryHash, registered, type HttpGraphQLRequest, type OperationRequest } from './safelist.js';

export interface PersistedOperations {
  /** Apollo Server's `persistedQueries`: automatic persisted queries in Redis when shared, else in Apollo's bounded memory cache */
  apq: PersistedQueryOptions;
  /** runs a registered operation sent by its id alone, whether or not the APQ cache knows it */
  plugin: ApolloServerPlugin<BaseContext>;
  /** throws PERSISTED_QUERY_NOT_ALLOWED when a safelist is enforced and the HTTP request is not on it */
  checkHttp: (principal: Principal, http: HttpGraphQLRequest) => void;
  /** the refusal of a WebSocket subscribe request that is not on an enforced safelist, else null */
  refusalOfSubscribe: (principal: Principal, payload: OperationRequest) => GraphQLError | null;
  close: () => void;
}

/**
 * The gateway's persisted operations: Apollo's automatic persisted queries (shared through Redis by
 * every replica when REDIS_URL is set), the operations of PERSISTED_OPERATIONS_FILE runnable by id,
 * and with PERSISTED_OPERATIONS_ONLY a safelist: nothing else runs, over HTTP or WebSocket, and
 * nothing is registered. ADMIN keys are not held to it: they are the operator's own (the explorer,
 * support work), and a leaked ADMIN key can do worse than run an unlisted query.
 */
export function persistedOperations(settings: GatewayConfig['persistedOperations'], redisUrl: string | undefined): PersistedOperations {
  if (settings.only && !settings.file) throw new Error('gateway: invalid configuration\n  PERSISTED_OPERATIONS_ONLY: needs PERSISTED_OPERATIONS_FILE');
  const operations: RegisteredOperations = settings.file ? loadManifest(settings.file) : new Map();
  const shared = redisUrl && !settings.only ? redisQueryCache(redisUrl, settings.apqTtlSeconds) : null;
  const cache = settings.only ? registeringNothing : (shared ?? undefined);
  const heldToList = (principal: Principal) => settings.only && principal.role !== 'ADMIN';
  return {
    apq: { ttl: settings.apqTtlSeconds, ...(cache ? { cache } : {}) },
    plugin: {
      async requestDidStart({ request }) {
        if (request.query !== undefined) return;
        const hash = persistedQueryHash(request.extensions);
        const operation = hash === undefined ? undefined : operations.get(hash);
        // Apollo reads the text after this hook: with it, the request is one that sends hash and text.
        if (operation) request.query = operation.body;
      },
    },
    checkHttp: (principal, http) => {
      if (!heldToList(principal)) return;
      const requests = operationRequestsOf(http);
      if (!requests?.every((request) => registered(operations, request))) throw fail.persistedQueryNotAllowed();
    },
    refusalOfSubscribe: (principal, payload) =>
      heldToList(principal) && !registered(operations, payload) ? toGraphQLError(fail.persistedQueryNotAllowed()) : null,
    close: () => shared?.close(),
  };
}

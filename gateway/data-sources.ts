import { RemoteGraphQLDataSource, type ServiceEndpointDefinition } from '@apollo/gateway';
import { PRINCIPAL_HEADER } from '../lib/internal-signature.js';
import { encodePrincipal, type Principal } from '../lib/principal.js';
import { SUBSCRIPTION_EVENT_EXTENSION, type SubscriptionEventRef } from '../lib/subscription-event.js';
import { signingFetcher } from './signed-fetcher.js';
import { asServerFault, subgraphRefusal } from './subgraph-refusal.js';

export interface GatewayContext {
  principal: Principal;
  /** set while a subscription's plan runs for one event: the payment subgraph answers its primary fetch from it */
  subscriptionEvent?: SubscriptionEventRef;
}

/**
 * How the gateway calls a subgraph: signed, with the principal, the event of a subscription in the
 * (signed) body's extensions, and subgraph refusals kept as the subgraph's own errors. Shared by the
 * ApolloGateway (queries, mutations) and the subscription executor.
 */
export function subgraphDataSourceFactory(subgraphs: Record<string, string>, internalSecret: string) {
  return ({ name, url }: ServiceEndpointDefinition): RemoteGraphQLDataSource<GatewayContext> =>
    new RemoteGraphQLDataSource<GatewayContext>({
      url: subgraphs[name] ? `${subgraphs[name]}/graphql` : url,
      // signed for the subgraph by its name in the supergraph, which is the name it verifies with
      fetcher: signingFetcher(internalSecret, name),
      willSendRequest({ request, context }) {
        request.http?.headers.set(PRINCIPAL_HEADER, encodePrincipal(context.principal));
        if (context.subscriptionEvent) {
          request.extensions = { ...request.extensions, [SUBSCRIPTION_EVENT_EXTENSION]: context.subscriptionEvent };
        }
      },
      async errorFromResponse(response) {
        return (await subgraphRefusal(response.clone())) ?? asServerFault(await RemoteGraphQLDataSource.prototype.errorFromResponse.call(this, response));
      },
    });
}

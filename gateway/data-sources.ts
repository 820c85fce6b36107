import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions, type ServiceEndpointDefinition } from '@apollo/gateway';
import { OperationTypeNode } from 'graphql';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { HttpAnswer } from '../lib/http-request.js';
import type { SubgraphFetchObserver } from '../lib/metrics/gateway.js';
import { encodePrincipal, type Principal } from '../lib/principal.js';
import { SUBSCRIPTION_EVENT_EXTENSION, type SubscriptionEventRef } from '../lib/subscription-event.js';
import { InFlight } from './in-flight.js';
import { fetcherResponse, signedPost, signingFetcher, type SignedPost } from './signed-fetcher.js';
import { asServerFault, subgraphRefusal } from './subgraph-refusal.js';

export interface GatewayContext {
  principal: Principal;
  /** set while a subscription's plan runs for one event: the payment subgraph answers its primary fetch from it */
  subscriptionEvent?: SubscriptionEventRef;
}

/** Whether a subgraph operation only reads: the query planner prints a fetch as `query …` or `{ … }`. */
export function isQueryOperation(document: string): boolean {
  return /^\s*(?:query\b|\{)/.test(document);
}

/**
 * Whether a fetch may share an identical one in flight: a read, and not part of a mutation's plan (an
 * `_entities` read after a mutation must see that mutation, not join a read that began before it).
 */
function shareable(options: GraphQLDataSourceProcessOptions<GatewayContext>, document: string): boolean {
  // only a client operation's fetches carry its request context (not health checks, not schema loading)
  if (!('incomingRequestContext' in options)) return false;
  return options.incomingRequestContext.operation?.operation !== OperationTypeNode.MUTATION && isQueryOperation(document);
}

/**
 * How the gateway calls a subgraph: signed, with the principal, the event of a subscription in the
 * (signed) body's extensions, and subgraph refusals kept as the subgraph's own errors. Identical
 * queries in flight at once (same subgraph, document, variables, extensions and principal) share one
 * request and its answer; each caller parses its own copy of the answer, since the gateway merges into
 * what it is given. It builds the request itself, without RemoteGraphQLDataSource's node-fetch Headers
 * and Request, which cost more than the call.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly inFlight = new InFlight<HttpAnswer>();

  constructor(
    url: string,
    private readonly post: SignedPost,
    fetcher: RemoteGraphQLDataSource['fetcher'],
    private readonly observe?: { subgraph: string; fetched: SubgraphFetchObserver },
  ) {
    super({ url, fetcher });
  }

  /** requests in flight that callers share now (for tests) */
  get sharedInFlight(): number {
    return this.inFlight.size;
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const context = options.context as Partial<GatewayContext>;
    if (!request.query) throw new Error('Missing query');
    if (!context.principal) throw new Error('no principal on a subgraph request');
    const extensions = context.subscriptionEvent ? { ...request.extensions, [SUBSCRIPTION_EVENT_EXTENSION]: context.subscriptionEvent } : request.extensions;
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName, extensions });
    const principal = encodePrincipal(context.principal);
    // headers the gateway asks for itself (its ftv1 trace header, when tracing), none usually
    const headers = request.http?.headers ? Object.fromEntries(request.http.headers) : undefined;
    const send = this.observe ? () => this.timed(this.post(body, principal, headers)) : () => this.post(body, principal, headers);
    const answer = await (shareable(options, request.query) ? this.inFlight.share(`${principal}\n${JSON.stringify(headers ?? null)}\n${body}`, send) : send());
    return this.responseOf(answer);
  }

  private async timed(sent: Promise<HttpAnswer>): Promise<HttpAnswer> {
    const { subgraph, fetched } = this.observe!;
    const start = performance.now();
    const seconds = () => (performance.now() - start) / 1000;
    try {
      const answer = await sent;
      fetched(subgraph, seconds(), answer.status >= 200 && answer.status < 300 ? 'ok' : `HTTP_${answer.status}`);
      return answer;
    } catch (error) {
      fetched(subgraph, seconds(), 'error');
      throw error;
    }
  }

  // A subgraph's cache-control hint is not read: the gateway turns cache control off (server.ts), so no
  // response of the gateway depends on it.
  private async responseOf(answer: HttpAnswer): Promise<GatewayGraphQLResponse> {
    const response = fetcherResponse(this.url, answer);
    if (!response.ok) throw await this.errorFromResponse(response);
    const contentType = answer.headers['content-type'];
    const json = contentType !== undefined && (contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json'));
    const body: unknown = json ? JSON.parse(answer.body) : answer.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`Expected JSON response body, but received: ${String(body)}`);
    return body;
  }

  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]) {
    return (await subgraphRefusal(response.clone())) ?? asServerFault(await super.errorFromResponse(response));
  }
}

/** The data source of each subgraph, shared by the ApolloGateway (queries, mutations) and the subscription executor. */
export function subgraphDataSourceFactory(subgraphs: Record<string, string>, internalSecret: string, fetched?: SubgraphFetchObserver) {
  return ({ name, url }: ServiceEndpointDefinition): SubgraphDataSource => {
    const target = subgraphs[name] ? `${subgraphs[name]}/graphql` : url!;
    // signed for the subgraph by its name in the supergraph, which is the name it verifies with
    return new SubgraphDataSource(target, signedPost(internalSecret, name, target), signingFetcher(internalSecret, name), fetched && { subgraph: name, fetched });
  };
}

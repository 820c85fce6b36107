import { buildOperationContext, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type SubscriptionNode } from '@apollo/query-planner';
import { buildASTSchema, print, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayContext } from '../data-sources.js';
import { answeringFromEvents } from './event-primary.js';

type OperationContext = ReturnType<typeof buildOperationContext>;

/** A subscription operation planned once: `primary` from the payment subgraph, `rest` for other subgraphs. */
export interface PlannedSubscription {
  node: SubscriptionNode;
  operationContext: OperationContext;
}

/** The supergraph as the subscription executor needs it: schemas, a data source per subgraph, and plans. */
export interface SubscriptionPlanner {
  /** for validating and coercing in this module's graphql-js (vitest may load a second copy next to Apollo's) */
  apiSchema: GraphQLSchema;
  federationApiSchema: Schema;
  supergraphSchema: GraphQLSchema;
  serviceMap: ServiceMap;
  plan: (document: DocumentNode, operationName: string | undefined) => PlannedSubscription;
}

const MAX_CACHED_PLANS = 500;

/** Plans with Apollo's QueryPlanner over the same supergraph the gateway serves; plans are cached by document. */
export function createSubscriptionPlanner(
  supergraphSdl: string,
  buildService: (definition: { name: string; url: string }) => RemoteGraphQLDataSource<GatewayContext>,
): SubscriptionPlanner {
  const supergraph = Supergraph.build(supergraphSdl);
  const planner = new QueryPlanner(supergraph);
  const federationApiSchema = supergraph.apiSchema();
  const gatewayApiSchema = federationApiSchema.toGraphQLJSSchema();
  const serviceMap: ServiceMap = answeringFromEvents(
    Object.fromEntries(supergraph.subgraphsMetadata().map(({ name, url }) => [name, buildService({ name, url })])),
  );
  const cache = new Map<string, PlannedSubscription>();
  return {
    apiSchema: buildASTSchema(federationApiSchema.toAST()),
    federationApiSchema,
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    serviceMap,
    plan(document, operationName) {
      const key = `${operationName ?? ''}\n${print(document)}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const operation = operationFromDocument(federationApiSchema, document, { operationName });
      const plan = planner.buildQueryPlan(operation);
      if (plan.node?.kind !== 'Subscription') throw new Error('not a subscription operation');
      const planned = { node: plan.node, operationContext: buildOperationContext({ schema: gatewayApiSchema, operationDocument: document, operationName }) };
      if (cache.size >= MAX_CACHED_PLANS) cache.delete(cache.keys().next().value!);
      cache.set(key, planned);
      return planned;
    },
  };
}

import { executeQueryPlan } from '@apollo/gateway';
import type { PlanNode } from '@apollo/query-planner';
import type { GatewayContext } from '../data-sources.js';
import type { PlannedSubscription, SubscriptionPlanner } from './planner.js';

type RequestContext = Parameters<typeof executeQueryPlan>[2];
export type EventResult = Awaited<ReturnType<typeof executeQueryPlan>>;

/**
 * Runs a subscription's whole plan for one event: `primary` (the payment subgraph answers it for the
 * event named in the context) then `rest`. executeQueryPlan refuses a Subscription node and cannot be
 * seeded with data, so the two run as one Sequence: the primary's result is merged at the root exactly
 * like a query's, and `rest` and the response shaping (aliases, null propagation) run unchanged.
 */
export async function executeForEvent(
  planner: SubscriptionPlanner,
  planned: PlannedSubscription,
  context: GatewayContext,
  variables: Record<string, unknown>,
  operationName: string | undefined,
): Promise<EventResult> {
  const { primary, rest } = planned.node;
  const node: PlanNode = rest ? { kind: 'Sequence', nodes: [primary, rest] } : primary;
  const requestContext = { request: { variables, operationName }, context, metrics: {} } as unknown as RequestContext;
  return executeQueryPlan(
    { kind: 'QueryPlan', node },
    planner.serviceMap,
    requestContext,
    planned.operationContext,
    planner.supergraphSchema,
    planner.federationApiSchema,
  );
}

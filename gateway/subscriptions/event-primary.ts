import type { GraphQLDataSource, ServiceMap } from '@apollo/gateway';
import { buildSchema, execute, parse, validate, type DocumentNode, type ExecutionResult } from 'graphql';
import { encodeEventCursor } from '../../lib/events/event-cursor.js';
import type { EventEnvelope } from '../../lib/events/event.js';
import { canSeeMerchant, type Principal } from '../../lib/principal.js';

/** What the subscription executor adds to a plan's context for one event: the event itself. */
export interface EventContext {
  principal: Principal;
  event: EventEnvelope;
}

/**
 * The fields of the payment subgraph's PaymentStatusEvent that an event's envelope carries, as the
 * payment subgraph answers them (subgraphs/payment/services/status-events.ts: the cursor of its position
 * and occurredAt, the payload's statuses, occurredAt in ISO-8601; the payment by its key). Enums and
 * DateTime are Strings here: the values are the same strings.
 */
const eventSchema = buildSchema(`
  type Query { _unused: Boolean }
  type Subscription { paymentStatusChanged(paymentId: ID, after: String): PaymentStatusEvent! }
  type PaymentStatusEvent { cursor: String! paymentId: ID! previousStatus: String status: String! occurredAt: String! payment: Payment! }
  type Payment { id: ID! }
`);

const MAX_CACHED = 500;

function answerFromEvent(event: EventEnvelope, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined) {
  const { status, previousStatus } = event.payload;
  const occurredAt = new Date(event.occurredAt);
  const change = {
    cursor: encodeEventCursor({ position: event.position, occurredAt }),
    paymentId: event.aggregateId,
    previousStatus: previousStatus ?? null,
    status,
    occurredAt: occurredAt.toISOString(),
    payment: { id: event.aggregateId },
  };
  return execute({ schema: eventSchema, document, rootValue: { paymentStatusChanged: change }, variableValues: variables, operationName }) as ExecutionResult;
}

/**
 * A subgraph's data source for the subscription executor that answers a subscription's primary fetch
 * from the event itself when the fetch selects only what the event carries (the cursor, the statuses,
 * occurredAt, the payment's key: e.g. `payment { fee }`, whose fields come from other subgraphs), so
 * such an event costs one subgraph round trip fewer. Any other fetch, and an event this principal may
 * not see or without a status (which the payment subgraph refuses), go to the subgraph as before.
 * The feed and the replay have already matched the event to the subscription's merchant and payment.
 */
export function answeringFromEvents(services: ServiceMap): ServiceMap {
  const answerable = new Map<string, boolean>();
  const answers = (query: string, document: DocumentNode) => {
    let known = answerable.get(query);
    if (known === undefined) {
      known = validate(eventSchema, document).length === 0;
      if (answerable.size >= MAX_CACHED) answerable.delete(answerable.keys().next().value!);
      answerable.set(query, known);
    }
    return known;
  };
  const wrap = (service: GraphQLDataSource): GraphQLDataSource => ({
    async process(options) {
      const { event, principal } = options.context as Partial<EventContext>;
      const { query, variables, operationName } = options.request;
      if (!event || !principal || query === undefined) return service.process(options);
      const merchantId = event.payload['merchantId'];
      if (typeof event.payload['status'] !== 'string' || typeof merchantId !== 'string' || !canSeeMerchant(principal, merchantId)) return service.process(options);
      const document = 'document' in options && options.document ? options.document : parse(query);
      if (!answers(query, document)) return service.process(options);
      const result = answerFromEvent(event, document, variables, operationName);
      return result.errors ? service.process(options) : { data: result.data };
    },
  });
  return Object.fromEntries(Object.entries(services).map(([name, service]) => [name, wrap(service)]));
}

import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs, type GraphQLFormattedError, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { DomainError, fail, toGraphQLError } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import type { GatewayContext } from '../data-sources.js';
import { admitSubscription, type AdmittedSubscription } from './admission.js';
import type { EventFeed } from './event-feed.js';
import { eventStream } from './event-stream.js';
import { executeForEvent } from './execute-event.js';
import { keySlots } from './key-slots.js';
import type { SubscriptionPlanner } from './planner.js';
import { eventFilter } from './visibility.js';

export interface SubscriptionServerOptions {
  server: Server;
  path: string;
  authenticate: (authorization: string | undefined) => Promise<Principal>;
  planner: SubscriptionPlanner;
  /** null when the gateway was started without an event transport: every subscribe is refused */
  feed: EventFeed | null;
  validationRules: readonly ValidationRule[];
  maxSubscriptionsPerKey: number;
  keepAliveMs: number;
  /** the gateway's formatError, so errors read the same over WebSocket as over HTTP */
  formatError: (error: GraphQLError) => GraphQLFormattedError;
}

/** A deployment fault, not a bug: its message is meant for the client, so it is not masked like internal errors. */
const unavailable = new GraphQLError('Subscriptions are not available: this gateway was started without an event transport', {
  extensions: { code: 'INTERNAL_SERVER_ERROR' },
});

interface ConnectionExtra extends Record<PropertyKey, unknown> {
  principal: Principal;
}

interface Admitted extends AdmittedSubscription {
  principal: Principal;
  release: () => void;
}

/**
 * graphql-ws (graphql-transport-ws) on the gateway's HTTP server and path. The connection is
 * authenticated once from its connection params (a bad key closes it with 4403 Forbidden); each
 * subscription is admitted, then planned and run once per matching event from the feed.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): { close: () => Promise<void> } {
  const wss = new WebSocketServer({ server: options.server, path: options.path });
  const slots = keySlots(options.maxSubscriptionsPerKey);
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => (error === unavailable ? error.toJSON() : options.formatError(error)));
  const disposable = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.['authorization'];
        try {
          ctx.extra.principal = await options.authenticate(typeof authorization === 'string' ? authorization : undefined);
          return true;
        } catch (error) {
          if (error instanceof DomainError) return false;
          throw error;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        const principal = ctx.extra.principal!;
        const admitted = admitSubscription(options.planner, options.validationRules, principal, payload);
        if (!('document' in admitted)) return admitted;
        if (!options.feed) return [unavailable];
        const release = slots.take(principal.keyId ?? 'admin');
        if (!release) {
          return [toGraphQLError(fail.rateLimited(`This API key already has ${options.maxSubscriptionsPerKey} open subscriptions; complete one first`))];
        }
        const context: Admitted = { ...admitted, principal, release };
        return { schema: options.planner.apiSchema, document: admitted.document, operationName: admitted.operationName, variableValues: admitted.variables, contextValue: context };
      },
      subscribe: (args: ExecutionArgs) => {
        const admitted = args.contextValue as Admitted;
        const planned = options.planner.plan(admitted.document, admitted.operationName);
        return eventStream(
          options.feed!.listen,
          eventFilter(admitted.principal, admitted.paymentId),
          (event) => {
            const context: GatewayContext = { principal: admitted.principal, subscriptionEvent: { eventId: event.id } };
            return executeForEvent(options.planner, planned, context, admitted.variables, admitted.operationName);
          },
          admitted.release,
        );
      },
      onNext: (_ctx, _id, _payload, _args, result) => ({ ...result, errors: result.errors && format(result.errors) }),
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
    options.keepAliveMs,
  );
  return {
    close: async () => {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

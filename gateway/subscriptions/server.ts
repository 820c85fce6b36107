import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs, type GraphQLFormattedError, type ValidationRule } from 'graphql';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { DomainError, fail, toGraphQLError } from '../../lib/errors.js';
import { logInternalError } from '../../lib/log.js';
import type { EventEnvelope } from '../../lib/events/event.js';
import type { SubscriptionObserver } from '../../lib/metrics/gateway.js';
import type { Principal } from '../../lib/principal.js';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext } from '../data-sources.js';
import type { GatewayRateLimits } from '../rate-limits/http-limits.js';
import { admitSubscription, type AdmittedSubscription } from './admission.js';
import { acceptWebSockets, closeRateLimited } from './connection-limits.js';
import type { EventFeed } from './event-feed.js';
import type { EventContext } from './event-primary.js';
import { resolveEvent, retryTransient, type RetryPolicy } from './event-retry.js';
import { executeForEvent } from './execute-event.js';
import { SubscriptionGroups, type GroupSpec } from './groups.js';
import { keySlots } from './key-slots.js';
import { socketsByKey } from './key-sockets.js';
import { createLimiter } from './limiter.js';
import { SubscriptionMember, type Delivery } from './member.js';
import type { SubscriptionPlanner } from './planner.js';
import { sharedPayloads, type PayloadSerializer } from './next-message.js';
import type { ReplayPage, ReplayScope, ReplaySource } from './replay.js';
import { subscriptionInterrupted } from './resume-error.js';
import { SocketDelivery } from './socket-delivery.js';
import { socketWriter, type SocketWriter } from './socket-writer.js';
import { isTransientCallFailure } from './transient-failure.js';

export interface SubscriptionServerOptions {
  server: Server;
  path: string;
  production: boolean;
  authenticate: (authorization: string | undefined) => Promise<Principal>;
  planner: SubscriptionPlanner;
  /** null when the gateway was started without an event transport: every subscribe is refused */
  feed: EventFeed | null;
  replay: ReplaySource;
  validationRules: readonly ValidationRule[];
  operationLimits: GatewayConfig['operationLimits'];
  limits: GatewayConfig['subscriptions'];
  /** the gateway's request budgets: connections and subscribes count like HTTP requests */
  rateLimits: GatewayRateLimits;
  /** the gateway's formatError, so errors read the same over WebSocket as over HTTP */
  formatError: (error: GraphQLError) => GraphQLFormattedError;
  /** the refusal of a subscribe request outside an enforced safelist (gateway/persisted-operations), else null */
  safelist: (principal: Principal, payload: { query: string; extensions?: unknown }) => GraphQLError | null;
  /** JSON.stringify unless given: how an event's `next` payload becomes JSON, once per group (tests count it) */
  serializePayload?: PayloadSerializer;
  /** counts open subscriptions and deliveries (lib/metrics/gateway.ts) */
  metrics?: SubscriptionObserver;
}

/** A thrown error that reached a result as it was (a failed fetch), or the error a GraphQLError wraps. */
function originalErrorOf(error: GraphQLError | GraphQLFormattedError): Error | undefined {
  if (!('extensions' in error) || error.extensions === undefined) return error instanceof Error ? error : undefined;
  const original = (error as { originalError?: unknown }).originalError;
  return original instanceof Error ? original : undefined;
}

/** The close code of a connection whose subscriber fell behind (application range 4000-4999). */
export const FELL_BEHIND_CLOSE_CODE = 4410;
/** The close code of a connection whose key was revoked or has expired (as graphql-ws closes a refused connection). */
export const KEY_ENDED_CLOSE_CODE = 4403;

/** A deployment fault, not a bug: its message is meant for the client, so it is not masked like internal errors. */
const unavailable = new GraphQLError('Subscriptions are not available: this gateway was started without an event transport', {
  extensions: { code: 'INTERNAL_SERVER_ERROR' },
});

interface ConnectionExtra extends Record<PropertyKey, unknown> {
  principal: Principal;
  /** the client's address (TRUST_PROXY applied) */
  address: string;
  members: Map<string, SubscriptionMember>;
  write: SocketWriter;
}

/**
 * graphql-ws (graphql-transport-ws) on the gateway's HTTP server and path, behind the connection limits
 * of connection-limits.ts. The connection is authenticated once from its connection params (a bad key
 * closes it with 4403 Forbidden, and counts against the address like a failed HTTP authentication). Each
 * subscription is admitted, joins the group of identical subscriptions (one execution per event for
 * all), and, when it resumes, first replays the events after its cursor from the payment subgraph.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): { close: () => Promise<void>; groups: () => number; endKey: (keyId: string) => void } {
  const { limits, planner } = options;
  const connections = acceptWebSockets(options);
  const byKey = socketsByKey();
  const { limits: rateLimits } = options.rateLimits;
  const slots = keySlots(limits.maxPerKey);
  const retry: RetryPolicy = { retries: limits.eventRetries, delayMs: limits.eventRetryDelayMs };
  const logFailure = (error: unknown) => logInternalError('gateway subscriptions', error);
  const limit = createLimiter(limits.maxConcurrentExecutions);
  const execute = (spec: Pick<GroupSpec, 'principal' | 'planned' | 'variables' | 'operationName'>, event: EventEnvelope) => {
    const context: GatewayContext & EventContext = { principal: spec.principal, subscriptionEvent: { eventId: event.id }, event };
    return executeForEvent(planner, spec.planned, context, spec.variables, spec.operationName);
  };
  // Each retry takes its turn at the limiter again: an event waiting out an outage holds no slot.
  const executeLive = (spec: GroupSpec, event: EventEnvelope) => resolveEvent(retry, () => limit(() => execute(spec, event)), logFailure);
  const groups = options.feed ? new SubscriptionGroups(options.feed, executeLive) : null;
  // An event's result may carry errors a subgraph answered with, as plain objects or as GraphQLErrors
  // of another copy of graphql; the original error stays, so a DomainError keeps its code.
  const asGraphQLError = (error: GraphQLError | GraphQLFormattedError) =>
    error instanceof GraphQLError
      ? error
      : new GraphQLError(error.message, { path: error.path, extensions: error.extensions, originalError: originalErrorOf(error) });
  const format = (errors: readonly (GraphQLError | GraphQLFormattedError)[]) =>
    errors.map((error) => (error === unavailable ? unavailable.toJSON() : options.formatError(asGraphQLError(error))));
  // what graphql-ws's onNext hook made of each result, now made once per result (so once per group)
  const payloadOf = sharedPayloads((result) => ({ ...result, errors: result.errors && format(result.errors) }), options.serializePayload);

  const subscribe = async (
    extra: Extra & Partial<ConnectionExtra>,
    id: string,
    principal: Principal,
    admitted: AdmittedSubscription,
  ): Promise<SubscriptionMember | readonly GraphQLError[]> => {
    const release = slots.take(principal.keyId ?? 'admin');
    if (!release) {
      options.rateLimits.refused('subscriptions_per_key');
      return [toGraphQLError(fail.rateLimited(`This API key already has ${limits.maxPerKey} open subscriptions; complete one first`))];
    }
    const spec: GroupSpec = {
      query: admitted.query,
      operationName: admitted.operationName,
      variables: admitted.eventVariables,
      principal,
      paymentId: admitted.paymentId,
      planned: planner.plan(admitted.document, admitted.operationName),
    };
    let leave = () => undefined as void;
    let joined = false;
    const member = new SubscriptionMember({
      after: admitted.after,
      maxBuffered: limits.maxBufferedEvents,
      congested: () => extra.socket.bufferedAmount > limits.maxBufferedBytes,
      onOverflow: (buffered) =>
        extra.socket.close(FELL_BEHIND_CLOSE_CODE, `Subscriber fell behind (${buffered} events waiting); resubscribe with after: your last cursor`),
      onEnd: () => {
        if (joined) options.metrics?.closed();
        joined = false;
        leave();
        release();
        extra.members?.delete(id);
      },
    });
    // Joined before the replay is read, so every event published from here on is buffered: the
    // replay covers what came before, and the member drops the overlap by position.
    leave = groups!.join(spec, member);
    joined = true;
    options.metrics?.opened();
    if (admitted.after !== null) {
      const scope: ReplayScope = { paymentId: admitted.paymentId, merchantId: principal.role === 'ADMIN' ? null : principal.merchantId };
      const after = admitted.after;
      try {
        const first = await retryTransient(retry, () => options.replay.afterCursor(after, scope), isTransientCallFailure);
        member.startWith(replayDeliveries(first, scope, (event) => resolveEvent(retry, () => execute(spec, event), logFailure)));
      } catch (error) {
        member.end();
        if (error instanceof DomainError) return [toGraphQLError(error)];
        if (!isTransientCallFailure(error)) throw error;
        logFailure(error);
        return [toGraphQLError(subscriptionInterrupted('replay', after))];
      }
    }
    extra.members?.set(id, member);
    return member;
  };

  const nextPage = async (page: ReplayPage, scope: ReplayScope) => {
    try {
      return await retryTransient(retry, () => options.replay.afterPosition(page.next, scope), isTransientCallFailure);
    } catch (error) {
      logFailure(error);
      throw error;
    }
  };

  async function* replayDeliveries(first: ReplayPage, scope: ReplayScope, run: (event: EventEnvelope) => Delivery['result']) {
    for (let page = first; ; page = await nextPage(page, scope)) {
      for (const event of page.events) yield { position: event.position, occurredAt: event.occurredAt, result: run(event) } satisfies Delivery;
      if (page.done) return;
    }
  }

  const disposable = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.['authorization'];
        const address = connections.addressOf(ctx.extra.request);
        const locked = await rateLimits.lockout(address);
        if (locked) {
          closeRateLimited(ctx.extra.socket, locked);
          return false;
        }
        try {
          ctx.extra.principal = await options.authenticate(typeof authorization === 'string' ? authorization : undefined);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          await rateLimits.authenticationFailed(address);
          return false;
        }
        if (!connections.enterKey(ctx.extra.socket, ctx.extra.principal)) return false;
        byKey.add(ctx.extra.principal.keyId, ctx.extra.socket);
        ctx.extra.address = address;
        ctx.extra.members = new Map();
        ctx.extra.write = socketWriter(ctx.extra.socket);
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const principal = ctx.extra.principal!;
        const limited = (await rateLimits.admitAddress(ctx.extra.address!)) ?? (await rateLimits.admitKey(principal));
        if (limited) return [toGraphQLError(limited)];
        const unlisted = options.safelist(principal, payload);
        if (unlisted) return [unlisted];
        const admitted = admitSubscription(planner, options, principal, payload);
        if (!('document' in admitted)) return admitted;
        if (!groups) return [unavailable];
        const member = await subscribe(ctx.extra, id, principal, admitted);
        if (!(member instanceof SubscriptionMember)) return member;
        const delivery = new SocketDelivery({ id, member, write: ctx.extra.write!, payloadOf, delivered: options.metrics?.delivered });
        return { schema: planner.apiSchema, document: admitted.document, operationName: admitted.operationName, variableValues: admitted.variables, contextValue: delivery };
      },
      // the delivery writes `next` messages itself (payload serialised once per group) and yields nothing
      subscribe: (args: ExecutionArgs) => args.contextValue as SocketDelivery,
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onComplete: (ctx, id) => ctx.extra.members?.get(id)?.end(),
      onClose: (ctx) => ctx.extra.members?.forEach((member) => member.end()),
      isProd: options.production,
    },
    connections.wss,
    limits.keepAliveMs,
  );
  return {
    groups: () => groups?.groupCount ?? 0,
    endKey: (keyId) => byKey.close(keyId, KEY_ENDED_CLOSE_CODE, 'Forbidden: the API key was revoked or has expired'),
    close: async () => {
      connections.stopAccepting();
      await disposable.dispose();
    },
  };
}

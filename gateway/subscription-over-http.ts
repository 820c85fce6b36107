import type { ApolloServerPlugin, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import { GraphQLError, OperationTypeNode, type DocumentNode, type ValidationRule } from 'graphql';
import { fail } from '../lib/errors.js';

/** The WebSocket subscription protocol the gateway speaks (graphql-ws). */
export const SUBSCRIPTION_PROTOCOL = 'graphql-transport-ws';

/**
 * The WebSocket URL of the gateway a request reached: its Host, and wss when a TLS proxy in front
 * says the request came over https (the gateway itself serves plain HTTP). Only ever shown to the client who sent the headers.
 */
export function webSocketUrlOf(http: HTTPGraphQLRequest | undefined): string {
  if (!http) return 'ws(s)://<host>/graphql';
  const host = http.headers.get('host');
  const forwardedProto = http.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  return `${forwardedProto === 'https' ? 'wss' : 'ws'}://${host && /^[\w.:[\]-]{1,255}$/.test(host) ? host : '<host>'}/graphql`;
}

/**
 * Subscriptions run over WebSocket only; one sent over HTTP, POST or GET, is refused with 400
 * BAD_USER_INPUT naming where to send it. A validation rule refuses it, since validation comes
 * before both Apollo's GET check (405) and execution (where the gateway cannot run it: a 500). A
 * rule does not see the HTTP request, so the plugin notes each document's request as its validation
 * starts (every validated document is freshly parsed), and the rule reads it: the WebSocket URL, and
 * the operation chosen (a document may also hold a subscription beside the query that runs).
 */
export function subscriptionOverHttp(): { plugin: ApolloServerPlugin<BaseContext>; rule: ValidationRule } {
  const requests = new WeakMap<DocumentNode, { url: string; operationName: string | undefined }>();
  return {
    plugin: {
      async requestDidStart() {
        return {
          async validationDidStart({ document, request }) {
            requests.set(document, { url: webSocketUrlOf(request.http), operationName: request.operationName ?? undefined });
          },
        };
      },
    },
    rule: (context) => ({
      OperationDefinition(node) {
        const request = requests.get(context.getDocument());
        if (node.operation !== OperationTypeNode.SUBSCRIPTION) return;
        if (request?.operationName !== undefined && request.operationName !== node.name?.value) return;
        const url = request?.url ?? webSocketUrlOf(undefined);
        const refusal = fail.badInput('operation', `a subscription is served over WebSocket, not HTTP: connect to ${url} with the ${SUBSCRIPTION_PROTOCOL} protocol`);
        context.reportError(new GraphQLError(refusal.message, { nodes: [node], originalError: refusal }));
      },
    }),
  };
}

import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../lib/errors.js';

/**
 * Apollo Server leaves an operationName the document lacks (or none, for a document of several
 * operations) to execution, where Apollo Gateway throws: an internal error and HTTP 500 for the
 * client's mistake (one GraphiQL makes when a query is run just after its operation was renamed).
 * Refused here instead, in graphql-js's words: BAD_USER_INPUT, HTTP 400.
 */
export function operationResolutionPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const message = request.operationName
            ? `Unknown operation named "${request.operationName}".`
            : 'Must provide operation name if query contains multiple operations.';
          throw new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
        },
      };
    },
  };
}

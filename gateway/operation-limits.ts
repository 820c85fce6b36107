import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, OperationTypeNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { fail, type DomainError } from '../lib/errors.js';
import type { GatewayConfig } from './config.js';
import { measureOperation, type OperationMeasure } from './operation-analysis.js';

export type OperationLimits = GatewayConfig['operationLimits'];

/**
 * Validation errors answered for one document at most (graphql-js adds one saying it stopped): each
 * costs work, and a flood of them tells a prober no more than the first few.
 */
export const MAX_VALIDATION_ERRORS = 5;

/**
 * Introspection lists a type's members (fields, input fields, interfaces, possible types) once per
 * path in the standard introspection query; nesting them in each other (`fields { type { fields … } }`)
 * only multiplies the answer.
 */
export const MAX_INTROSPECTION_NESTING = 1;

/** The first limit `measure` is over, as the refusal to answer: QUERY_TOO_COMPLEX with the measure and the limit. */
export function limitRefusal(measure: OperationMeasure, limits: OperationLimits, mutation: boolean): DomainError | null {
  const reported = (figure: number) => Math.min(figure, Number.MAX_SAFE_INTEGER);
  const { depth, introspectionNesting, cost, rootFields, aliases, directives } = measure;
  if (depth > limits.maxDepth) {
    return fail.queryTooComplex(`The operation is nested ${depth} levels deep; at most ${limits.maxDepth} are allowed`, { depth, limit: limits.maxDepth });
  }
  if (introspectionNesting > MAX_INTROSPECTION_NESTING) {
    return fail.queryTooComplex('Introspection may list fields, inputFields, interfaces or possibleTypes once per path, not inside each other', {
      introspectionNesting,
      limit: MAX_INTROSPECTION_NESTING,
    });
  }
  if (cost > limits.maxCost) {
    return fail.queryTooComplex(
      `The operation costs ${reported(cost)} (1 per field, a list's selection once per item it may return); at most ${limits.maxCost} is allowed`,
      { cost: reported(cost), limit: limits.maxCost },
    );
  }
  if (mutation && rootFields > limits.maxMutations) {
    return fail.queryTooComplex(`The operation runs ${rootFields} mutations; at most ${limits.maxMutations} are allowed per request`, {
      mutations: rootFields,
      limit: limits.maxMutations,
    });
  }
  if (aliases > limits.maxAliases) {
    return fail.queryTooComplex(`The operation has ${reported(aliases)} aliases; at most ${limits.maxAliases} are allowed`, {
      aliases: reported(aliases),
      limit: limits.maxAliases,
    });
  }
  if (directives > limits.maxDirectives) {
    return fail.queryTooComplex(`The operation has ${reported(directives)} directives; at most ${limits.maxDirectives} are allowed`, {
      directives: reported(directives),
      limit: limits.maxDirectives,
    });
  }
  return null;
}

/** Measures the operation a request runs and answers the refusal when it is over a limit, else null. */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  limits: OperationLimits,
): DomainError | null {
  return limitRefusal(measureOperation(schema, document, operation, variables), limits, operation.operation === OperationTypeNode.MUTATION);
}

/**
 * The check over HTTP: after validation, with the request's variables, before the gateway plans or
 * runs anything. An error thrown here is Apollo's answer, with the HTTP status it carries.
 */
export function operationLimitsPlugin<Context extends object>(limits: OperationLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          // No operation: operationResolutionPlugin answers that.
          const refusal = operation && checkOperation(schema, document, operation, request.variables ?? {}, limits);
          if (refusal) {
            throw new GraphQLError(refusal.message, { originalError: refusal, extensions: { ...refusal.details, code: refusal.code, http: { status: 400 } } });
          }
        },
      };
    },
  };
}

/** Field suggestions ("Did you mean …?") cut from graphql's messages, as Apollo's hideSchemaDetailsFromClientErrors does. */
export function withoutSuggestions(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.map((error) => {
    const message = error.message.replace(/ ?Did you mean(.+?)\?$/, '');
    return message === error.message
      ? error
      : new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions: error.extensions });
  });
}

import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, OperationTypeNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { fail, type DomainError } from '../lib/errors.js';
import type { GatewayConfig } from './config.js';
import { nonFiniteVariable } from './number-input.js';
import { measureOperation, type OperationMeasure } from './operation-analysis.js';

export type OperationLimits = GatewayConfig['operationLimits'];

/**
 * Validation errors answered for one document at most (graphql-js adds one saying it stopped): each
 * costs work, and a flood of them tells a prober no more than the first few.
 */
export const MAX_VALIDATION_ERRORS = 5;

/**
 * Times one field may be written in one selection set. Repeats merge into one answer, so no client
 * needs them (fragments that overlap are not counted); each costs validation work that grows with
 * the square of their number, and a scanner's "field duplication" probe writes `__typename` 500 times.
 */
export const MAX_FIELD_REPEATS = 10;

/** The first limit `measure` is over, as the refusal to answer: QUERY_TOO_COMPLEX with the measure and the limit. */
export function limitRefusal(measure: OperationMeasure, limits: OperationLimits, mutation: boolean): DomainError | null {
  const reported = (figure: number) => Math.min(figure, Number.MAX_SAFE_INTEGER);
  const { depth, cost, rootFields, aliases, directives, repeats } = measure;
  if (depth > limits.maxDepth) {
    return fail.queryTooComplex(`The operation is nested ${depth} levels deep; at most ${limits.maxDepth} are allowed`, { depth, limit: limits.maxDepth });
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
  if (repeats > MAX_FIELD_REPEATS) {
    return fail.queryTooComplex(`One field is written ${repeats} times in one selection set; at most ${MAX_FIELD_REPEATS} are allowed`, {
      repeats,
      limit: MAX_FIELD_REPEATS,
    });
  }
  return null;
}

/**
 * The checks of a validated operation with its variables: no infinite number among them, and the
 * operation within every limit. The refusal to answer, else null.
 */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  limits: OperationLimits,
): DomainError | null {
  const infinite = nonFiniteVariable(variables);
  if (infinite) return infinite;
  try {
    return limitRefusal(measureOperation(schema, document, operation, variables), limits, operation.operation === OperationTypeNode.MUTATION);
  } catch (error) {
    // A chain of hundreds of fragments, each spread inside the one before, recurses as deep.
    if (error instanceof RangeError) return fail.queryTooComplex('The operation is nested too deeply to measure', { limit: limits.maxDepth });
    throw error;
  }
}

/** The refusal as Apollo Server answers it from a plugin: with its HTTP status, formatted from the DomainError it carries. */
function asHttpError(refusal: DomainError): GraphQLError {
  return new GraphQLError(refusal.message, { originalError: refusal, extensions: { ...refusal.details, code: refusal.code, http: { status: 400 } } });
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
          if (refusal) throw asHttpError(refusal);
        },
      };
    },
  };
}

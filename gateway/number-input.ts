import { GraphQLError, type ASTVisitor, type FloatValueNode, type IntValueNode, type ValidationContext } from 'graphql';
import { fail, type DomainError } from '../lib/errors.js';

/** Longer number literals are refused: no field of the API takes one, and no client writes one. */
export const MAX_NUMBER_LITERAL_LENGTH = 100;

/**
 * Refuses number literals that are not finite numbers (`1e400`) or are overlong, wherever they are
 * written (arguments, input objects, variable defaults): graphql accepts them for custom scalars such
 * as Decimal or JSONObject, and the query planner fails on them. BAD_USER_INPUT, before planning.
 */
export function numberLiteralsRule(context: ValidationContext): ASTVisitor {
  const check = (node: IntValueNode | FloatValueNode) => {
    if (node.value.length <= MAX_NUMBER_LITERAL_LENGTH && Number.isFinite(Number(node.value))) return;
    const refusal = fail.badInput('query', `a number literal must be finite and at most ${MAX_NUMBER_LITERAL_LENGTH} characters long`);
    // Apollo Server re-codes validation errors but keeps their originalError: the error formatter answers it.
    context.reportError(new GraphQLError(refusal.message, { nodes: node, originalError: refusal, extensions: { ...refusal.details, code: refusal.code } }));
  };
  return { IntValue: check, FloatValue: check };
}

/**
 * The same for variables: JSON has no infinity, but a JSON parser reads `1e400` as one. Refused
 * here, before graphql's coercion turns it into a misleading "must not be null".
 */
export function nonFiniteVariable(variables: Readonly<Record<string, unknown>>): DomainError | null {
  // Walked with a stack of its own: variables may nest deeper than the call stack goes.
  const pending: unknown[] = [variables];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'number' && !Number.isFinite(value)) return fail.badInput('variables', 'a number must be finite');
    if (typeof value === 'object' && value !== null) for (const inner of Object.values(value)) pending.push(inner);
  }
  return null;
}

import { GraphQLError, type ASTVisitor, type FloatValueNode, type IntValueNode, type ValidationContext } from 'graphql';
import { fail } from '../lib/errors.js';

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

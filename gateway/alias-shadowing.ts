import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import { fail } from '../lib/errors.js';

/**
 * Refuses an alias that names another field of the same type (`id: balance`) or starts with `__`:
 * the query planner fetches entities by their key fields (`id`, `__typename`) under those names, and an
 * alias in their place makes its representation wrong (an internal error instead of an answer).
 * BAD_USER_INPUT, before planning. (Duck-typed: graphql-js's isObjectType fails across module copies.)
 */
export function aliasShadowingRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const alias = node.alias?.value;
      if (!alias || alias === node.name.value) return;
      const parent = context.getParentType();
      const shadows = alias.startsWith('__') || (parent !== null && parent !== undefined && 'getFields' in parent && Object.hasOwn(parent.getFields(), alias));
      if (!shadows) return;
      const refusal = fail.badInput('query', `the alias "${alias}" names another field of ${parent?.name ?? 'its type'}: choose an alias that is not a field name`);
      context.reportError(new GraphQLError(refusal.message, { nodes: node, originalError: refusal, extensions: { ...refusal.details, code: refusal.code } }));
    },
  };
}

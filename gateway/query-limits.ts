import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext, type FragmentDefinitionNode } from 'graphql';
import { ErrorCode, fail } from '../lib/errors.js';

/**
 * Refuses operations nested deeper than maxDepth or selecting more than maxFields fields in all
 * (fragments expanded, aliases counted), before any subgraph is asked: QUERY_TOO_COMPLEX.
 * Inside introspection (`__schema`, `__type`), `ofType` adds no depth: it unwraps one list or
 * non-null wrapper (one object, no fan-out, null past the named type), and the standard
 * introspection query of GraphiQL and codegen nests it nine levels deep.
 */
export function queryLimitsRule(limits: { maxDepth: number; maxFields: number }) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const measure = (
      selectionSet: SelectionSetNode,
      depth: number,
      seen: Set<string>,
      totals: { fields: number; depth: number },
      introspection: boolean,
    ) => {
      for (const selection of selectionSet.selections) {
        if (totals.fields > limits.maxFields || totals.depth > limits.maxDepth) return;
        if (selection.kind === Kind.FIELD) {
          totals.fields++;
          totals.depth = Math.max(totals.depth, depth);
          const name = selection.name.value;
          const inIntrospection = introspection || name === '__schema' || name === '__type';
          const childDepth = inIntrospection && name === 'ofType' ? depth : depth + 1;
          if (selection.selectionSet) measure(selection.selectionSet, childDepth, seen, totals, inIntrospection);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          measure(selection.selectionSet, depth, seen, totals, introspection);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (fragment && !seen.has(fragment.name.value)) {
            measure(fragment.selectionSet, depth, new Set([...seen, fragment.name.value]), totals, introspection);
          }
        }
      }
    };
    return {
      OperationDefinition(operation) {
        const totals = { fields: 0, depth: 0 };
        measure(operation.selectionSet, 1, new Set(), totals, false);
        if (totals.depth > limits.maxDepth) {
          context.reportError(tooComplex(`The operation is nested deeper than ${limits.maxDepth} levels`));
        } else if (totals.fields > limits.maxFields) {
          context.reportError(tooComplex(`The operation selects more than ${limits.maxFields} fields`));
        }
      },
    };
  };
}

/**
 * Apollo Server re-codes every validation error GRAPHQL_VALIDATION_FAILED but keeps its originalError:
 * carrying the DomainError there lets the error formatter answer QUERY_TOO_COMPLEX.
 */
function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { originalError: fail.queryTooComplex(message), extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } });
}

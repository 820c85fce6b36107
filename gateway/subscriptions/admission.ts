import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { DomainError, fail, toGraphQLError } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import { inputTextFault } from '../input-text.js';
import { checkOperation, MAX_VALIDATION_ERRORS, type OperationLimits } from '../operation-limits.js';
import { sourceNestingRefusal } from '../source-nesting.js';
import type { SubscriptionPlanner } from './planner.js';

/** A subscribe request that passed every check: what the executor runs. */
export interface AdmittedSubscription {
  /** the document's text as sent */
  query: string;
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  paymentId: string | null;
  /** the cursor to resume after, when given */
  after: string | null;
  /** the variables minus the one that carries `after`: what each event's execution depends on */
  eventVariables: Record<string, unknown>;
}

export interface SubscribeRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** What admission checks a document against, as over HTTP. */
export interface AdmissionRules {
  validationRules: readonly ValidationRule[];
  operationLimits: OperationLimits;
  /** no field suggestions ("Did you mean …?") in validation errors */
  production: boolean;
}

/**
 * The checks before a subscription runs, each refusal an error for that subscription only: the
 * document parses (within the token limit) and validates, is one subscription operation within the
 * operation limits, and the key is not an ANALYST key. The cursor in `after` is checked by the
 * replay that follows.
 */
export function admitSubscription(
  planner: SubscriptionPlanner,
  rules: AdmissionRules,
  principal: Principal,
  request: SubscribeRequest,
): AdmittedSubscription | readonly GraphQLError[] {
  const tooDeep = sourceNestingRefusal(request.query, rules.operationLimits.maxTokens);
  if (tooDeep) return [toGraphQLError(tooDeep)];
  let document: DocumentNode;
  try {
    document = parse(request.query, { maxTokens: rules.operationLimits.maxTokens });
  } catch (error) {
    return [error instanceof GraphQLError ? error : new GraphQLError('The subscription does not parse')];
  }
  const options = { maxErrors: MAX_VALIDATION_ERRORS, hideSuggestions: rules.production };
  let invalid: readonly GraphQLError[];
  try {
    invalid = validate(planner.apiSchema, document, [...specifiedRules, ...rules.validationRules], options);
  } catch (error) {
    // graphql's one-field rule evaluates @include/@skip and throws on a bad `if` (`@include(if: "yes")`)
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  if (invalid.length > 0) return invalid;
  const operationName = request.operationName ?? undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation) return [toGraphQLError(fail.badInput('operationName', 'names no operation of the document'))];
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    return [toGraphQLError(fail.badInput('query', 'only subscriptions are served over WebSocket; send queries and mutations over HTTP'))];
  }
  const refusal = checkOperation(planner.apiSchema, document, operation, request.variables ?? {}, rules.operationLimits);
  if (refusal) return [toGraphQLError(refusal)];
  if (principal.role === 'ANALYST') return [toGraphQLError(fail.forbidden('ANALYST keys cannot subscribe'))];
  const textRefusal = inputTextFault(planner.apiSchema, document, operation, request.variables);
  if (textRefusal) return [textRefusal];
  const coerced = getVariableValues(planner.apiSchema, operation.variableDefinitions ?? [], request.variables ?? {}, options);
  if (coerced.errors) return coerced.errors;
  const variables = coerced.coerced;
  try {
    const args = fieldArguments(planner.apiSchema, document, operation, variables);
    const eventVariables = Object.fromEntries(Object.entries(variables).filter(([name]) => name !== args.afterVariable));
    return { query: request.query, document, operationName, variables, paymentId: args.paymentId, after: args.after, eventVariables };
  } catch (error) {
    if (error instanceof DomainError) return [toGraphQLError(error)];
    throw error;
  }
}

/** paymentStatusChanged's arguments as execution sees them (variables and defaults applied). */
function fieldArguments(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  // A subscription has exactly one root field (validated), possibly inside fragments.
  const rootField = (selectionSet: SelectionSetNode): FieldNode | undefined => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) return selection;
      const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments.get(selection.name.value)?.selectionSet;
      const found = inner && rootField(inner);
      if (found) return found;
    }
    return undefined;
  };
  const node = rootField(operation.selectionSet);
  const definition = node && schema.getSubscriptionType()?.getFields()[node.name.value];
  const args = node && definition ? getArgumentValues(definition, node, variables) : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const afterNode = node?.arguments?.find((argument) => argument.name.value === 'after')?.value;
  return {
    paymentId: text(args['paymentId']),
    after: text(args['after']),
    afterVariable: afterNode?.kind === Kind.VARIABLE ? afterNode.name.value : null,
  };
}

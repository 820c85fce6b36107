import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type TypeNode, type ValueNode } from 'graphql';
import { fail } from '../lib/errors.js';
import { JSON_LIMITS, jsonFault, textFault, type TextKind } from '../lib/input-rules.js';

/** Input fields of free text: they may keep TAB, LF and CR (every other string input keeps no control character). */
const FREE_TEXT_FIELDS = new Set(['description', 'reason']);
const JSON_SCALAR = 'JSONObject';

type Fault = { field: string; reason: string } | null;

/**
 * The string inputs of an operation, checked before it is planned (no subgraph sees them): its
 * string literals and its variables' values, walked along their input types, refused with
 * BAD_USER_INPUT naming the field when one holds a control character or a lone surrogate (see
 * lib/input-rules.ts), or when a JSONObject is too deep or too large. Iterative, so that input
 * nested thousands deep costs no stack.
 */
export function inputTextFault(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError | null {
  const fault = literalFault(schema, document) ?? variablesFault(schema, operation, variables ?? {});
  if (!fault) return null;
  const refusal = fail.badInput(fault.field, fault.reason);
  return new GraphQLError(refusal.message, { originalError: refusal, extensions: { ...refusal.details, code: refusal.code, http: { status: 400 } } });
}

/** The Apollo plugin: refuses such an operation before the gateway plans it. */
export function inputTextPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const refusal = inputTextFault(schema, document, operation, request.variables);
          if (refusal) throw refusal;
        },
      };
    },
  };
}

function stringFault(text: string, field: string, name: string): Fault {
  const kind: TextKind = FREE_TEXT_FIELDS.has(name) ? 'free' : 'identifier';
  const reason = textFault(text, kind);
  return reason ? { field, reason } : null;
}

function jsonValueFault(value: unknown, field: string): Fault {
  const fault = jsonFault(value);
  return fault ? { field: `${field}${fault.at}`, reason: fault.reason } : null;
}

/**
 * Schema types read by their shape, never with graphql's `instanceof` predicates: graphql is loaded
 * twice where its ESM and CommonJS builds meet (vitest, Apollo's packages), and a schema built by
 * one is "from another realm" for the other's TypeInfo, isInputObjectType or typeFromAST.
 */
interface SchemaType {
  name?: string;
  ofType?: SchemaType;
  getFields?: () => Record<string, { type: SchemaType; args?: readonly { name: string; type: SchemaType }[] }>;
  toString(): string;
}

/** An input type as this walk needs it: a list of something, or a named type (undefined: not known here). */
type Shape = { list: Shape } | { named: SchemaType | undefined };

const unknownShape: Shape = { named: undefined };

function shapeOf(type: SchemaType | undefined): Shape {
  if (!type?.ofType) return { named: type };
  // GraphQLNonNull prints as `T!`, GraphQLList as `[T]`
  return type.toString().endsWith('!') ? shapeOf(type.ofType) : { list: shapeOf(type.ofType) };
}

function shapeOfNode(schema: GraphQLSchema, node: TypeNode): Shape {
  if (node.kind === Kind.NON_NULL_TYPE) return shapeOfNode(schema, node.type);
  if (node.kind === Kind.LIST_TYPE) return { list: shapeOfNode(schema, node.type) };
  return { named: schema.getType(node.name.value) ?? undefined };
}

/** One step into an input type: an object's field, or a list's items (a single value stands for a list of one). */
function fieldType(shape: Shape, name: string): Shape | undefined {
  const field = 'named' in shape ? shape.named?.getFields?.()[name] : undefined;
  return field ? shapeOf(field.type) : undefined;
}

const itemType = (shape: Shape): Shape => ('list' in shape ? shape.list : shape);

const isJson = (shape: Shape) => 'named' in shape && shape.named?.name === JSON_SCALAR;

function namedOf(type: SchemaType | undefined): SchemaType | undefined {
  return type?.ofType ? namedOf(type.ofType) : type;
}

function variablesFault(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): Fault {
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const fault = valueFault(variables[name], shapeOfNode(schema, definition.type), name, name);
    if (fault) return fault;
  }
  return null;
}

/** A variable's value along its type; strings where no string belongs are left to coercion to refuse. */
function valueFault(value: unknown, type: Shape, field: string, name: string): Fault {
  const pending: { value: unknown; type: Shape; field: string; name: string }[] = [{ value, type, field, name }];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (isJson(current.type)) {
      const fault = jsonValueFault(current.value, current.field);
      if (fault) return fault;
    } else if (typeof current.value === 'string') {
      const fault = stringFault(current.value, current.field, current.name);
      if (fault) return fault;
    } else if (Array.isArray(current.value)) {
      const items = itemType(current.type);
      current.value.forEach((item, index) => pending.push({ value: item, type: items, field: `${current.field}[${index}]`, name: current.name }));
    } else if (current.value !== null && typeof current.value === 'object') {
      for (const [key, inner] of Object.entries(current.value)) {
        const innerType = fieldType(current.type, key);
        // a field the type lacks is refused by coercion, by name: only its name needs to be clean
        const fault = innerType ? null : stringFault(key, current.field, key);
        if (fault) return fault;
        if (innerType) pending.push({ value: inner, type: innerType, field: `${current.field}.${key}`, name: key });
      }
    }
  }
  return null;
}

interface Literal {
  node: ValueNode;
  type: Shape;
  field: string;
  name: string;
}

/**
 * The document's literal inputs, with their input types: every argument's value (each selection set
 * of each operation and fragment once; spreads are not followed) and every variable's default.
 */
function literals(schema: GraphQLSchema, document: DocumentNode): Literal[] {
  const found: Literal[] = [];
  const sets: { selectionSet: SelectionSetNode; parent: SchemaType | undefined }[] = [];
  const roots = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() };
  const untyped = (args: readonly { name: { value: string }; value: ValueNode }[] | undefined) => {
    for (const argument of args ?? []) found.push({ node: argument.value, type: unknownShape, field: argument.name.value, name: argument.name.value });
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      sets.push({ selectionSet: definition.selectionSet, parent: roots[definition.operation] ?? undefined });
      for (const variable of definition.variableDefinitions ?? []) {
        const name = variable.variable.name.value;
        if (variable.defaultValue) found.push({ node: variable.defaultValue, type: shapeOfNode(schema, variable.type), field: name, name });
      }
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      sets.push({ selectionSet: definition.selectionSet, parent: schema.getType(definition.typeCondition.name.value) ?? undefined });
    }
  }
  while (sets.length > 0) {
    const { selectionSet, parent } = sets.pop()!;
    for (const selection of selectionSet.selections) {
      untyped(selection.directives?.flatMap((directive) => directive.arguments ?? []));
      if (selection.kind === Kind.FIELD) {
        const field = parent?.getFields?.()[selection.name.value];
        for (const argument of selection.arguments ?? []) {
          const type = field?.args?.find((defined) => defined.name === argument.name.value)?.type;
          found.push({ node: argument.value, type: shapeOf(type), field: argument.name.value, name: argument.name.value });
        }
        if (selection.selectionSet) sets.push({ selectionSet: selection.selectionSet, parent: namedOf(field?.type) });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        sets.push({ selectionSet: selection.selectionSet, parent: selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? undefined) : parent });
      }
    }
  }
  return found;
}

/** Every literal along its type (variables inside are checked with the variables). */
function literalFault(schema: GraphQLSchema, document: DocumentNode): Fault {
  const pending = literals(schema, document);
  while (pending.length > 0) {
    const current = pending.pop()!;
    const { node } = current;
    if (isJson(current.type)) {
      const fault = jsonLiteralFault(node, current.field);
      if (fault) return fault;
    } else if (node.kind === Kind.STRING) {
      const fault = stringFault(node.value, current.field, current.name);
      if (fault) return fault;
    } else if (node.kind === Kind.LIST) {
      const items = itemType(current.type);
      node.values.forEach((item, index) => pending.push({ node: item, type: items, field: `${current.field}[${index}]`, name: current.name }));
    } else if (node.kind === Kind.OBJECT) {
      for (const inner of node.fields) {
        const key = inner.name.value;
        pending.push({ node: inner.value, type: fieldType(current.type, key) ?? unknownShape, field: `${current.field}.${key}`, name: key });
      }
    }
  }
  return null;
}

/** A JSONObject written in the document: its strings, and how deep it nests (its keys are GraphQL names: clean). */
function jsonLiteralFault(root: ValueNode, field: string): Fault {
  const pending: { node: ValueNode; at: string; depth: number }[] = [{ node: root, at: '', depth: 1 }];
  while (pending.length > 0) {
    const { node, at, depth } = pending.pop()!;
    if (node.kind === Kind.STRING) {
      const reason = textFault(node.value, 'free');
      if (reason) return { field: `${field}${at}`, reason };
    } else if (node.kind === Kind.LIST || node.kind === Kind.OBJECT) {
      if (depth > JSON_LIMITS.maxDepth) return { field: `${field}${at}`, reason: `must be nested at most ${JSON_LIMITS.maxDepth} levels deep` };
      if (node.kind === Kind.LIST) node.values.forEach((item, index) => pending.push({ node: item, at: `${at}[${index}]`, depth: depth + 1 }));
      else for (const inner of node.fields) pending.push({ node: inner.value, at: `${at}.${inner.name.value}`, depth: depth + 1 });
    }
  }
  return null;
}

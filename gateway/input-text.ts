import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
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

/** One step into an input type: the type of a list's items or of an object's field, when known. */
function fieldType(type: GraphQLInputType | undefined, name: string): GraphQLInputType | undefined {
  const named = type && (isNonNullType(type) ? type.ofType : type);
  return named && isInputObjectType(named) ? named.getFields()[name]?.type : undefined;
}

function itemType(type: GraphQLInputType | undefined): GraphQLInputType | undefined {
  const inner = type && (isNonNullType(type) ? type.ofType : type);
  return inner && isListType(inner) ? inner.ofType : inner;
}

const isJson = (type: GraphQLInputType | undefined) => type !== undefined && getNamedType(type).name === JSON_SCALAR;

function variablesFault(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): Fault {
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    const fault = valueFault(variables[name], type, name, name);
    if (fault) return fault;
  }
  return null;
}

/** A variable's value along its type; strings where no string belongs are left to coercion to refuse. */
function valueFault(value: unknown, type: GraphQLInputType | undefined, field: string, name: string): Fault {
  const pending: { value: unknown; type: GraphQLInputType | undefined; field: string; name: string }[] = [{ value, type, field, name }];
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
  type: GraphQLInputType | undefined;
  field: string;
  name: string;
}

/** The document's literal inputs: every argument's value and every variable's default, with its input type. */
function literals(schema: GraphQLSchema, document: DocumentNode): Literal[] {
  const found: Literal[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        found.push({ node: node.value, type: typeInfo.getArgument()?.type, field: node.name.value, name: node.name.value });
        return false;
      },
      VariableDefinition(node) {
        const name = node.variable.name.value;
        if (node.defaultValue) found.push({ node: node.defaultValue, type: typeFromAST(schema, node.type) as GraphQLInputType | undefined, field: name, name });
        return false;
      },
    }),
  );
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
        pending.push({ node: inner.value, type: fieldType(current.type, key), field: `${current.field}.${key}`, name: key });
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

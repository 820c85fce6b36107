import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../lib/pagination.js';

/** What one operation asks of the gateway, fragments expanded: every figure a limit is checked against. */
export interface OperationMeasure {
  /** the deepest path of fields (inside introspection, `ofType` adds no level) */
  depth: number;
  /** every selected field 1 (`__typename` included), a list field's selection times the items it may return */
  cost: number;
  /** aliased fields */
  aliases: number;
  /** directives on fields, spreads, fragments and the operation */
  directives: number;
  /** fields at the operation's root: for a mutation, the mutations it runs */
  rootFields: number;
  /** the most times one response name is written in one selection set (spreads not counted) */
  repeats: number;
}

/**
 * Items a list field without `first`/`last` is assumed to return (a payment's refunds, ledger
 * entries or transactions, a metrics result's rows): a guess of the common case, not a bound. Nested
 * lists multiply: `payment { refunds { payment { refunds … } } }` at the default depth (five lists)
 * costs 7,812, within the default budget; with 10 it would cost 200,000.
 */
export const PLAIN_LIST_FACTOR = 5;

const none: OperationMeasure = { depth: 0, cost: 0, aliases: 0, directives: 0, rootFields: 0, repeats: 0 };

/**
 * Measures `operation` in one pass. Each named fragment is measured once, where it is first spread
 * (a spread adds its measure): a chain of fragments each spreading the next twice costs 2^n, computed
 * in n steps. Every figure depends on the types only, never on where a selection sits, which is what
 * makes a fragment's measure the same wherever it is spread. Expects a validated document.
 * (Introspection nested in itself, `fields { type { fields … } }`, is graphql's own
 * MaxIntrospectionDepthRule's, among the specified rules every document is validated with.)
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, OperationMeasure>();
  const pages = pageTypes(schema);
  const pageSize = pageSizeOf(operation, variables);

  const selectionSetMeasure = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): OperationMeasure => {
    const total = { ...none };
    const written = new Map<string, number>();
    for (const selection of selectionSet.selections) {
      let part: OperationMeasure;
      if (selection.kind === Kind.FIELD) {
        const responseName = (selection.alias ?? selection.name).value;
        const times = (written.get(responseName) ?? 0) + 1;
        written.set(responseName, times);
        total.repeats = Math.max(total.repeats, times);
        part = fieldMeasure(selection, parent);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        part = selectionSetMeasure(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent);
      } else {
        part = fragmentMeasure(selection.name.value);
      }
      const directives = (selection.directives?.length ?? 0) + part.directives;
      add(total, { ...part, directives, rootFields: selection.kind === Kind.FIELD ? 1 : part.rootFields });
    }
    return total;
  };

  const fragmentMeasure = (name: string): OperationMeasure => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown fragments and cycles fail validation; measured as nothing should they ever get here.
    measured.set(name, none);
    if (!fragment) return none;
    const measure = selectionSetMeasure(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
    measure.directives += fragment.directives?.length ?? 0;
    measured.set(name, measure);
    return measure;
  };

  const fieldMeasure = (field: FieldNode, parent: GraphQLNamedType | undefined): OperationMeasure => {
    const definition = parent && fieldDefinition(schema, parent, field.name.value);
    const inner = field.selectionSet ? selectionSetMeasure(field.selectionSet, definition && namedType(definition.type)) : none;
    const introspective = parent?.name.startsWith('__') ?? false;
    const unwrapping = introspective && field.name.value === 'ofType';
    let factor = 1;
    if (definition && definition.args.some((arg) => arg.name === 'first' || arg.name === 'last')) {
      factor = pageSize(field, definition);
    } else if (definition && isList(definition.type) && !introspective && !(parent && pages.has(parent.name))) {
      factor = PLAIN_LIST_FACTOR;
    }
    return {
      depth: field.selectionSet ? (unwrapping ? Math.max(1, inner.depth) : 1 + inner.depth) : 1,
      cost: 1 + factor * inner.cost,
      aliases: (field.alias ? 1 : 0) + inner.aliases,
      directives: inner.directives,
      rootFields: 1,
      repeats: inner.repeats,
    };
  };

  const measure = selectionSetMeasure(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
  measure.directives += operation.directives?.length ?? 0;
  return measure;
}

/** Sums the additive figures, keeps the greatest of the path-long ones. */
function add(total: OperationMeasure, part: OperationMeasure): void {
  total.depth = Math.max(total.depth, part.depth);
  total.cost += part.cost;
  total.aliases += part.aliases;
  total.directives += part.directives;
  total.rootFields += part.rootFields;
  total.repeats = Math.max(total.repeats, part.repeats);
}

/*
 * Types are told apart by their shape, not graphql's isObjectType & co.: those check `instanceof`,
 * and where graphql is loaded twice (its ESM and CommonJS builds, as under vitest) the schema Apollo
 * hands over is made of the other copy's classes.
 */
type FieldMap = Record<string, GraphQLField<unknown, unknown>>;
const fieldsOf = (type: GraphQLNamedType): FieldMap | undefined => ('getFields' in type ? (type.getFields() as FieldMap) : undefined);
/** a list, nullable or not: `[T]`, `[T!]!` */
const isList = (type: GraphQLType) => String(type).startsWith('[');
const namedType = (type: GraphQLType): GraphQLNamedType => ('ofType' in type ? namedType(type.ofType) : type);

function fieldDefinition(schema: GraphQLSchema, parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (parent === schema.getQueryType() && name === '__schema') return SchemaMetaFieldDef;
  if (parent === schema.getQueryType() && name === '__type') return TypeMetaFieldDef;
  return fieldsOf(parent)?.[name];
}

const pageTypesOf = new WeakMap<GraphQLSchema, Set<string>>();

/** The names of the types paginated fields return (connections): their list fields are the page, already counted by `first`. */
function pageTypes(schema: GraphQLSchema): Set<string> {
  let names = pageTypesOf.get(schema);
  if (names) return names;
  names = new Set();
  for (const type of Object.values(schema.getTypeMap())) {
    for (const field of Object.values(fieldsOf(type) ?? {})) {
      if (field.args?.some((arg) => arg.name === 'first' || arg.name === 'last')) names.add(namedType(field.type).name);
    }
  }
  pageTypesOf.set(schema, names);
  return names;
}

/**
 * The items a paginated field may return: its `first` or `last` (the larger when both are given) as
 * a literal, as the variable's value in this request or the variable's default; the argument's
 * default when neither is given; else (null, no value) the default page size. Clamped to
 * 1..MAX_PAGE_SIZE: a larger one is refused by the subgraph, and a zero still costs its field.
 */
function pageSizeOf(operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>) {
  const variableDefaults = new Map(operation.variableDefinitions?.map((definition) => [definition.variable.name.value, definition.defaultValue]));
  const valueOf = (value: ValueNode | undefined): unknown => {
    if (value?.kind === Kind.INT) return Number(value.value);
    if (value?.kind !== Kind.VARIABLE) return undefined;
    return value.name.value in variables ? variables[value.name.value] : valueOf(variableDefaults.get(value.name.value));
  };
  const size = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : DEFAULT_PAGE_SIZE);
  return (field: FieldNode, definition: GraphQLField<unknown, unknown>): number => {
    const given = field.arguments?.filter((arg) => arg.name.value === 'first' || arg.name.value === 'last') ?? [];
    const defaults = definition.args.filter((arg) => arg.name === 'first' || arg.name === 'last').map((arg) => arg.defaultValue);
    const sizes = given.length > 0 ? given.map((arg) => size(valueOf(arg.value))) : [size(defaults.find((value) => value !== undefined))];
    return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(Math.max(...sizes))));
  };
}

import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import fc from 'fast-check';
import {
  buildASTSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import {
  fuzzNumber,
  fuzzString,
  hostileNumberText,
  hostileText,
  hostileValue,
  jsonObjectValue,
  oddDateTime,
  oddDecimal,
  toJsonText,
  toLiteral,
  type FuzzValue,
} from './fuzz-values.js';

/** The schema clients see: the supergraph's API schema, built the way the gateway builds it. */
export function gatewayApiSchema(): GraphQLSchema {
  const sdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
  return buildASTSchema(Supergraph.build(sdl).apiSchema().toAST());
}

/** Ids that exist (a payment, a merchant), so that some generated operations reach the resolvers. */
export interface KnownIds {
  ids: string[];
}

interface Argument {
  name: string;
  type: GraphQLInputType;
  value: FuzzValue;
  asVariable: boolean;
}

type Selection =
  | { kind: 'field'; name: string; alias: string | null; args: Argument[]; directive: string | null; selections: Selection[] }
  | { kind: 'inline'; typeName: string | null; selections: Selection[] }
  /** hoisted into a named fragment, spread `times` times */
  | { kind: 'named'; typeName: string; times: number; selections: Selection[] };

export interface GeneratedOperation {
  operationType: 'query' | 'mutation' | 'subscription';
  selections: Selection[];
  /** extra fragment definitions: a chain, each fragment spreading the next `fanOut` times */
  fragmentChain: { length: number; fanOut: number } | null;
  /** every field gets an alias of its own, so that no two fields conflict and more operations pass validation */
  tidy: boolean;
}

/** An operation as it is sent: its text and its variables as JSON text. */
export interface RenderedOperation {
  query: string;
  variablesJson: string;
}

/** `arbitrary`'s value once in `times` runs, null otherwise */
function onceIn<T>(times: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: times - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

const directives = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('@include(if: true)', '@skip(if: false)', '@skip(if: true)') },
  { weight: 1, arbitrary: fc.constantFrom('@deprecated', '@aa', '@include(if: "yes")', '@include', '@skip(if: true) @skip(if: false)') },
);

/** Values for an input type: mostly of the right type (so that resolvers run), often hostile ones of any type. */
function valueFor(type: GraphQLInputType, known: KnownIds, depth: number): fc.Arbitrary<FuzzValue> {
  const wrong = depth > 4 ? fc.constant<FuzzValue>({ kind: 'null' }) : hostileValue;
  // Mostly the right type: one wrong value refuses the whole operation before any resolver runs.
  return fc.oneof({ weight: 12, arbitrary: rightValueFor(type, known, depth) }, { weight: 1, arbitrary: wrong });
}

function rightValueFor(type: GraphQLInputType, known: KnownIds, depth: number): fc.Arbitrary<FuzzValue> {
  if (isNonNullType(type)) return valueFor(type.ofType, known, depth);
  if (isListType(type)) {
    return fc.array(valueFor(type.ofType, known, depth + 1), { maxLength: 3 }).map((items): FuzzValue => ({ kind: 'list', items }));
  }
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => value.name)).map((name): FuzzValue => ({ kind: 'enum', name }));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    return fc
      .tuple(...fields.map((field) => (isNonNullType(field.type) ? valueFor(field.type, known, depth + 1) : onceIn(2, valueFor(field.type, known, depth + 1)))))
      .map((values): FuzzValue => ({
        kind: 'object',
        fields: fields.flatMap((field, index) => (values[index] === null ? [] : [[field.name, values[index]!] as [string, FuzzValue]])),
      }));
  }
  switch (type.name) {
    case 'Int':
      return fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constantFrom(2 ** 31, -(2 ** 31) - 1)).map((n) => fuzzNumber(String(n)));
    case 'Float':
      return hostileNumberText.map(fuzzNumber);
    case 'Boolean':
      return fc.boolean().map((value): FuzzValue => ({ kind: 'boolean', value }));
    case 'ID':
      return fc.oneof(fc.constantFrom(...known.ids, 'pay_00000000000000000000000000', 'mch_nope'), hostileText).map(fuzzString);
    case 'Decimal':
      return fc.oneof(fc.constantFrom('10.00', '0.01', '1', '1000'), oddDecimal).map(fuzzString);
    case 'DateTime':
      return fc.oneof(fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), oddDateTime).map(fuzzString);
    case 'JSONObject':
      return jsonObjectValue;
    case 'String':
      return fc.oneof(fc.constantFrom('USD', 'JPY', 'KWD', 'CARD', '2026-11-22', 'fuzz'), fc.uuid(), hostileText).map(fuzzString);
    default:
      return hostileText.map(fuzzString);
  }
}

function argumentsFor(field: GraphQLField<unknown, unknown>, known: KnownIds): fc.Arbitrary<Argument[]> {
  if (field.args.length === 0) return fc.constant([]);
  return fc
    .tuple(
      ...field.args.map((arg) => {
        const argument = fc
          .record({ value: valueFor(arg.type, known, 0), asVariable: fc.boolean() })
          .map(({ value, asVariable }): Argument => ({ name: arg.name, type: arg.type, value, asVariable }));
        return isNonNullType(arg.type) ? fc.oneof({ weight: 19, arbitrary: argument }, { weight: 1, arbitrary: fc.constant(null) }) : onceIn(2, argument);
      }),
    )
    .map((args) => args.filter((arg): arg is Argument => arg !== null));
}

const aliasName = onceIn(4, fc.constantFrom('a', 'b', 'x', 'payment', 'id', '__typename_'));

function fieldSelection(field: GraphQLField<unknown, unknown>, known: KnownIds, depth: number): fc.Arbitrary<Selection> {
  const named = getNamedType(field.type);
  const below = isObjectType(named) ? selectionsFor(named, known, depth + 1) : fc.constant<Selection[]>([]);
  return fc
    .record({
      alias: aliasName,
      args: argumentsFor(field, known),
      directive: onceIn(8, directives),
      selections: below,
    })
    .map(({ alias, args, directive, selections }): Selection => ({ kind: 'field', name: field.name, alias, args, directive, selections }));
}

/** A selection set on an object type: a few of its fields, some in inline or named fragments, __typename now and then. */
function selectionsFor(type: GraphQLObjectType, known: KnownIds, depth: number): fc.Arbitrary<Selection[]> {
  const fields = Object.values(type.getFields());
  // Deep enough for every type; below it only leaf fields, so that generation ends.
  const usable = depth >= 4 ? fields.filter((field) => isLeafType(getNamedType(field.type))) : fields;
  const typename: Selection = { kind: 'field', name: '__typename', alias: null, args: [], directive: null, selections: [] };
  if (usable.length === 0) return fc.constant([typename]);
  const one = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...usable).chain((field) => fieldSelection(field, known, depth)) },
    { weight: 1, arbitrary: fc.constant(typename) },
  );
  const group = fc.array(one, { minLength: 1, maxLength: 3 });
  return fc.array(
    fc.oneof(
      { weight: 6, arbitrary: one.map((selection) => [selection]) },
      {
        weight: 1,
        arbitrary: fc.tuple(group, fc.boolean()).map(([selections, typed]): Selection[] => [{ kind: 'inline', typeName: typed ? type.name : null, selections }]),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(group, fc.integer({ min: 1, max: 3 })).map(([selections, times]): Selection[] => [{ kind: 'named', typeName: type.name, times, selections }]),
      },
    ),
    { minLength: 1, maxLength: 4 },
  ).map((groups) => groups.flat());
}

/** A subscription selects one root field (else validation refuses it before anything else is tried), mostly. */
function rootSelections(root: GraphQLObjectType, operationType: GeneratedOperation['operationType'], known: KnownIds): fc.Arbitrary<Selection[]> {
  if (operationType !== 'subscription') return selectionsFor(root, known, 0);
  const single = fc.constantFrom(...Object.values(root.getFields())).chain((field) => fieldSelection(field, known, 0).map((selection) => [selection]));
  return fc.oneof({ weight: 3, arbitrary: single }, { weight: 1, arbitrary: selectionsFor(root, known, 0) });
}

/** Operations shaped by the schema: any root field, with aliases, fragments, directives and arguments right and wrong. */
export function operationArbitrary(schema: GraphQLSchema, known: KnownIds, operationTypes: GeneratedOperation['operationType'][] = ['query', 'mutation', 'subscription']): fc.Arbitrary<GeneratedOperation> {
  const roots = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() };
  const weights = { query: 6, mutation: 3, subscription: 1 };
  return fc.oneof(
    ...operationTypes.map((operationType) => ({
      weight: weights[operationType],
      arbitrary: fc
        .record({
          selections: rootSelections(roots[operationType]!, operationType, known),
          fragmentChain: onceIn(8, fc.record({ length: fc.integer({ min: 1, max: 12 }), fanOut: fc.integer({ min: 1, max: 3 }) })),
          tidy: fc.boolean(),
        })
        .map((parts): GeneratedOperation => ({ operationType, ...parts })),
    })),
  );
}

/** Writes a generated operation as GraphQL text plus JSON variables. */
export function renderOperation(operation: GeneratedOperation): RenderedOperation {
  const variableDefinitions: string[] = [];
  const variables: string[] = [];
  const fragments: string[] = [];
  let aliases = 0;
  const aliasOf = (selection: Extract<Selection, { kind: 'field' }>) =>
    operation.tidy && selection.name !== '__typename' ? `${selection.name}${aliases++}` : selection.alias;
  const argument = (arg: Argument) => {
    if (!arg.asVariable) return `${arg.name}: ${toLiteral(arg.value)}`;
    const name = `v${variables.length}`;
    variableDefinitions.push(`$${name}: ${String(arg.type)}`);
    variables.push(`${JSON.stringify(name)}:${toJsonText(arg.value)}`);
    return `${arg.name}: $${name}`;
  };
  const selectionText = (selection: Selection): string => {
    switch (selection.kind) {
      case 'field': {
        const args = selection.args.length ? `(${selection.args.map(argument).join(', ')})` : '';
        const below = selection.selections.length ? ` { ${selection.selections.map(selectionText).join(' ')} }` : '';
        const alias = aliasOf(selection);
        return `${alias ? `${alias}: ` : ''}${selection.name}${args}${selection.directive ? ` ${selection.directive}` : ''}${below}`;
      }
      case 'inline':
        return `...${selection.typeName ? ` on ${selection.typeName}` : ''} { ${selection.selections.map(selectionText).join(' ')} }`;
      case 'named': {
        const inner = selection.selections.map(selectionText).join(' ');
        const name = `F${fragments.length}`;
        fragments.push(`fragment ${name} on ${selection.typeName} { ${inner} }`);
        return Array.from({ length: selection.times }, () => `...${name}`).join(' ');
      }
    }
  };
  let body = operation.selections.map(selectionText).join(' ');
  if (operation.fragmentChain) {
    const { length, fanOut } = operation.fragmentChain;
    const rootType = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' }[operation.operationType];
    for (let link = 0; link < length; link++) {
      const next = link + 1 < length ? Array.from({ length: fanOut }, () => `...C${link + 1}`).join(' ') : '__typename';
      fragments.push(`fragment C${link} on ${rootType} { ${next} }`);
    }
    body += ' ...C0';
  }
  const definitions = variableDefinitions.length ? `(${variableDefinitions.join(', ')})` : '';
  return {
    query: [`${operation.operationType} Fuzz${definitions} { ${body} }`, ...fragments].join('\n'),
    variablesJson: `{${variables.join(',')}}`,
  };
}

import { buildSchema, getOperationAST, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../lib/errors.js';
import { nonFiniteVariable, numberLiteralsRule } from './number-input.js';
import { checkOperation, type OperationLimits } from './operation-limits.js';
import { MAX_SOURCE_NESTING, sourceNestingRefusal } from './source-nesting.js';

const schema = buildSchema(`
  scalar Decimal
  scalar JSONObject
  type Query { node: Node, page(first: Int = 20): NodeConnection!, price(amount: Decimal, extra: JSONObject): Int }
  type Mutation { touch(id: ID!): Node! }
  type Node { id: ID!, child: Node }
  type NodeConnection { nodes: [Node!]! }
`);
const limits: OperationLimits = { maxDepth: 4, maxCost: 500, maxTokens: 1000, maxAliases: 3, maxDirectives: 2, maxMutations: 2 };

const refusal = (source: string, variables: Record<string, unknown> = {}) => {
  const document = parse(source);
  const found = checkOperation(schema, document, getOperationAST(document)!, variables, limits);
  return found && { message: found.message, code: found.code, details: found.details };
};

describe('the refusal', () => {
  it('is null within every limit', () => {
    expect(refusal('{ a: page(first: 100) { nodes { id } } }')).toBeNull();
    expect(refusal('mutation { a: touch(id: "1") { id } b: touch(id: "2") { id } }')).toBeNull();
  });

  it('is QUERY_TOO_COMPLEX carrying the measure and the limit', () => {
    expect(refusal('{ a: page(first: 100) { nodes { id } } b: page(first: 100) { nodes { id } } c: page(first: 100) { nodes { id } } }')).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      message: "The operation costs 603 (1 per field, a list's selection once per item it may return); at most 500 is allowed",
      details: { cost: 603, limit: 500 },
    });
  });

  it.each([
    ['depth', '{ node { child { child { child { id } } } } }', {}, { depth: 5, limit: 4 }],
    ['cost, first given as a variable', 'query($n: Int) { a: page(first: $n) { nodes { id } } b: page(first: $n) { nodes { id } } c: page(first: $n) { nodes { id } } }', { n: 100 }, { cost: 603, limit: 500 }],
    ['mutations', 'mutation { a: touch(id: "1") { id } b: touch(id: "2") { id } c: touch(id: "3") { id } }', {}, { mutations: 3, limit: 2 }],
    ['aliases', '{ a: __typename b: __typename c: __typename d: __typename }', {}, { aliases: 4, limit: 3 }],
    ['directives', '{ node @include(if: true) { id @skip(if: false) child @skip(if: false) { id } } }', {}, { directives: 3, limit: 2 }],
  ])('names %s', (_name, source, variables, details) => {
    expect(refusal(source, variables)?.details).toEqual(details);
  });

  it('reports the first limit exceeded: depth, cost, mutations, aliases, directives', () => {
    expect(refusal('mutation { a: touch(id: "1") { id } b: touch(id: "2") { id } c: touch(id: "3") { id } d: touch(id: "4") { id } }')?.details).toEqual({ mutations: 4, limit: 2 });
  });

  it('refuses one field written more than 10 times in one selection set; repeats through fragments do not count', () => {
    expect(refusal(`{ ${'__typename '.repeat(11)}}`)?.details).toEqual({ repeats: 11, limit: 10 });
    expect(refusal(`{ node { ${'id '.repeat(11)}} }`)?.details).toEqual({ repeats: 11, limit: 10 });
    expect(refusal(`{ ${'__typename '.repeat(10)}}`)).toBeNull();
    const spreads = Array.from({ length: 12 }, (_, i) => `...F${i}`).join(' ');
    const fragments = Array.from({ length: 12 }, (_, i) => `fragment F${i} on Node { id }`).join(' ');
    expect(refusal(`{ node { ${spreads} } } ${fragments}`)).toBeNull();
  });

  it('counts root fields as mutations only in a mutation', () => {
    expect(refusal('{ node { id } page { nodes { id } } x: node { id } }')).toBeNull();
  });
});

describe('number literals', () => {
  const errors = (source: string) => validate(schema, parse(source), [...specifiedRules, numberLiteralsRule]);

  it.each([
    ['a Decimal of 1e400', '{ price(amount: 1e400) }'],
    ['inside an input object', '{ price(extra: { a: [1, -1e400] }) }'],
    ['a variable default', 'query($a: Decimal = 1e400) { price(amount: $a) }'],
    ['an overlong integer', `{ price(extra: { a: ${'9'.repeat(101)} }) }`],
  ])('%s is BAD_USER_INPUT, carrying the DomainError the formatter answers with', (_name, source) => {
    const [error, ...more] = errors(source);
    expect(more).toEqual([]);
    expect(error?.originalError).toBeInstanceOf(DomainError);
    expect(error?.extensions['code']).toBe('BAD_USER_INPUT');
    expect(error?.message).toBe('query: a number literal must be finite and at most 100 characters long');
  });

  it('lets finite numbers through', () => {
    expect(errors(`{ price(amount: 1e300, extra: { a: 12.5, b: ${'9'.repeat(100)} }) page(first: 10) { nodes { id } } }`)).toEqual([]);
  });
});

describe('number variables', () => {
  it('an infinite number anywhere in the variables is BAD_USER_INPUT, before the limits are measured', () => {
    expect(nonFiniteVariable({ input: { amount: { amount: '1.00' }, list: [1, 2.5] } })).toBeNull();
    expect(nonFiniteVariable({ input: { list: [{ deep: [-Infinity] }] } })?.message).toBe('variables: a number must be finite');
    expect(refusal('{ node { child { child { child { id } } } } }', { x: Infinity })?.code).toBe('BAD_USER_INPUT');
  });

  it('walks variables nested deeper than the call stack goes', () => {
    let nested: unknown = Infinity;
    for (let level = 0; level < 100_000; level++) nested = { nested };
    expect(nonFiniteVariable({ nested })?.code).toBe('BAD_USER_INPUT');
  });
});

describe('source nesting', () => {
  const nested = (levels: number) => `{ node ${'{ child '.repeat(levels - 1)}{ id }${' }'.repeat(levels)}`;

  it(`refuses more than ${MAX_SOURCE_NESTING} levels of braces, brackets or parentheses, before parsing`, () => {
    expect(sourceNestingRefusal(nested(MAX_SOURCE_NESTING - 1), 10_000)).toBeNull();
    expect(sourceNestingRefusal(nested(MAX_SOURCE_NESTING), 10_000)?.details).toEqual({ nesting: 129, limit: 128 });
    expect(sourceNestingRefusal(`{ price(extra: ${'['.repeat(200)}1${']'.repeat(200)}) }`, 10_000)?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('counts no brace inside strings, block strings or comments', () => {
    const text = `{ price(extra: { a: "${'{'.repeat(300)}", b: """${'['.repeat(300)}""" }) # ${'('.repeat(300)}\n }`;
    expect(sourceNestingRefusal(text, 10_000)).toBeNull();
  });

  it('leaves syntax errors and documents over the token limit to the parser', () => {
    expect(sourceNestingRefusal('{ "unterminated', 10_000)).toBeNull();
    expect(sourceNestingRefusal('{'.repeat(500), 100)).toBeNull();
  });
});

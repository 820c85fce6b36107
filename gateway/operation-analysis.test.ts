import { buildSchema, getIntrospectionQuery, getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { measureOperation, PLAIN_LIST_FACTOR } from './operation-analysis.js';

const schema = buildSchema(`
  type Query { node: Node, nodes: [Node!]!, page(first: Int = 20, after: String): NodeConnection!, back(last: Int): NodeConnection! }
  type Mutation { touch(id: ID!): Node! }
  type Node { id: ID!, name: String, child: Node, children: [Node!]!, ofType: Node, fields: [Node!]! }
  type NodeConnection { edges: [NodeEdge!]!, nodes: [Node!]!, pageInfo: PageInfo! }
  type NodeEdge { cursor: String!, node: Node! }
  type PageInfo { hasNextPage: Boolean! }
`);

const measure = (source: string, variables: Record<string, unknown> = {}) => {
  const document = parse(source);
  return measureOperation(schema, document, getOperationAST(document)!, variables);
};
const fullIntrospection = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true, directiveIsRepeatable: true, specifiedByUrl: true });

describe('depth', () => {
  it('counts the fields on the deepest path', () => {
    expect(measure('{ node { id } }').depth).toBe(2);
    expect(measure('{ node { child { child { id } } name } }').depth).toBe(4);
  });

  it('counts the depth a named fragment adds where it is spread; an inline fragment adds none', () => {
    const fragment = 'fragment Deep on Node { child { id } }';
    expect(measure(`{ node { ...Deep } } ${fragment}`).depth).toBe(3);
    expect(measure(`{ node { child { ...Outer } } } fragment Outer on Node { child { ...Deep } } ${fragment}`).depth).toBe(5);
    expect(measure('{ node { ... on Node { child { ... { id } } } } }').depth).toBe(3);
  });

  it('inside introspection, ofType unwraps one wrapper and adds no level; elsewhere a field named ofType is a level', () => {
    expect(measure('{ __type(name: "Node") { ofType { ofType { ofType { ofType { name } } } } } }').depth).toBe(2);
    expect(measure('{ node { ofType { ofType { id } } } }').depth).toBe(4);
  });

  it('the standard introspection query (GraphiQL’s, codegen’s) is 6 levels deep', () => {
    expect(measure(fullIntrospection).depth).toBe(6);
  });
});

describe('cost', () => {
  it('counts every field 1, __typename included, a fragment for every place it is spread', () => {
    expect(measure('{ __typename node { id name } }').cost).toBe(4);
    expect(measure('{ a: node { ...F } b: node { ...F } } fragment F on Node { id __typename }').cost).toBe(6);
  });

  it('multiplies a paginated field’s selection by its first, and counts the connection’s lists once', () => {
    // page + 100 × (edges + node + fee-like child + cursor)
    expect(measure('{ page(first: 100) { edges { cursor node { id } } } }').cost).toBe(1 + 100 * 4);
    expect(measure('{ page(first: 3) { nodes { id } pageInfo { hasNextPage } } }').cost).toBe(1 + 3 * 4);
  });

  it('takes first from the request’s variables, clamped to the largest page', () => {
    const query = 'query($n: Int) { page(first: $n) { nodes { id } } }';
    expect(measure(query, { n: 100 }).cost).toBe(1 + 100 * 2);
    expect(measure(query, { n: 1_000_000 }).cost).toBe(1 + 100 * 2);
    expect(measure(query, { n: 0 }).cost).toBe(1 + 1 * 2);
    expect(measure('query($n: Int = 50) { page(first: $n) { nodes { id } } }').cost).toBe(1 + 50 * 2);
  });

  it('without first, the argument’s default or the default page size; last counts like first', () => {
    expect(measure('{ page { nodes { id } } }').cost).toBe(1 + 20 * 2);
    expect(measure('{ page(first: null) { nodes { id } } }').cost).toBe(1 + 20 * 2);
    expect(measure('query($n: Int) { page(first: $n) { nodes { id } } }', { n: 'many' }).cost).toBe(1 + 20 * 2);
    expect(measure('{ back { nodes { id } } }').cost).toBe(1 + 20 * 2);
    expect(measure('{ back(last: 7) { nodes { id } } }').cost).toBe(1 + 7 * 2);
  });

  it(`multiplies a plain list’s selection by ${PLAIN_LIST_FACTOR}, nested lists each time`, () => {
    expect(measure('{ nodes { id } }').cost).toBe(1 + PLAIN_LIST_FACTOR);
    expect(measure('{ nodes { children { id } } }').cost).toBe(1 + PLAIN_LIST_FACTOR * (1 + PLAIN_LIST_FACTOR));
  });

  it('costs a fragment bomb (each fragment spreading the next twice) 2^n, measured in milliseconds', () => {
    const levels = 30;
    const chain = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
    const source = `{ ...F0 } ${chain.join(' ')} fragment F${levels} on Query { __typename }`;
    const started = performance.now();
    expect(measure(source).cost).toBe(2 ** levels);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('counts introspection’s lists once per item: it reads the schema, not the subgraphs', () => {
    expect(measure('{ __schema { types { name fields { name } } } }').cost).toBe(5);
    expect(measure(fullIntrospection).cost).toBeLessThan(500);
  });
});

describe('aliases, directives and root fields', () => {
  it('counts aliases, a fragment’s for every place it is spread', () => {
    const typenames = Array.from({ length: 101 }, (_, i) => `a${i}: __typename`).join(' ');
    expect(measure(`{ ${typenames} }`).aliases).toBe(101);
    expect(measure('{ ...F ...F node { id } } fragment F on Query { x: __typename }').aliases).toBe(2);
  });

  it('counts directives on fields, fragments, spreads and the operation', () => {
    expect(measure('query Q @skip(if: false) { node @include(if: true) { id @skip(if: false) } }').directives).toBe(3);
    expect(measure('{ ...F @include(if: true) ... @skip(if: false) { __typename } } fragment F on Query @include(if: true) { __typename }').directives).toBe(3);
  });

  it('counts the root fields, through fragments, not the fields below them', () => {
    const mutation = 'mutation { a: touch(id: "1") { id } ...T ... on Mutation { c: touch(id: "3") { id child { id } } } } fragment T on Mutation { b: touch(id: "2") { id } }';
    expect(measure(mutation).rootFields).toBe(3);
  });
});

describe('fragment cycles', () => {
  it('are left to graphql’s NoFragmentCyclesRule: measured without looping', () => {
    expect(measure('{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }').depth).toBe(3);
  });
});

import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../lib/errors.js';
import { queryLimitsRule } from './query-limits.js';

const schema = buildSchema(`
  type Query { node: Node, nodes: [Node!]! }
  type Node { id: ID!, name: String, child: Node, children: [Node!]!, ofType: Node }
`);

/** The errors of validating `source` with the limits (and graphql's own rules). */
function errors(source: string, limits = { maxDepth: 3, maxFields: 10 }) {
  return validate(schema, parse(source), [...specifiedRules, queryLimitsRule(limits)]);
}
const tooComplex = (source: string, limits?: { maxDepth: number; maxFields: number }) =>
  errors(source, limits).filter((error) => error.extensions['code'] === 'QUERY_TOO_COMPLEX').map((error) => error.message);

describe('depth', () => {
  it('allows the maximum depth and refuses one more', () => {
    expect(errors('{ node { child { id } } }')).toEqual([]);
    expect(tooComplex('{ node { child { child { id } } } }')).toEqual(['The operation is nested deeper than 3 levels']);
  });

  it('counts the depth a named fragment adds where it is spread', () => {
    const fragment = 'fragment Deep on Node { child { id } }';
    expect(errors(`{ node { ...Deep } } ${fragment}`)).toEqual([]);
    expect(tooComplex(`{ node { child { ...Deep } } } ${fragment}`)).toHaveLength(1);
    expect(tooComplex(`{ node { ...Outer } } fragment Outer on Node { child { ...Deep } } ${fragment}`)).toHaveLength(1);
  });

  it('counts fields inside inline fragments at their own depth, the fragment itself adds none', () => {
    expect(errors('{ node { ... on Node { child { id } } } }')).toEqual([]);
    expect(tooComplex('{ node { ... on Node { child { ... { child { id } } } } } }')).toHaveLength(1);
  });

  it('measures each operation of a document on its own', () => {
    const shallow = 'query A { node { id } }';
    expect(tooComplex(`${shallow} query B { node { child { child { id } } } }`)).toHaveLength(1);
  });
});

describe('introspection', () => {
  it('lets the standard introspection query (GraphiQL’s, codegen’s) through the default limits', () => {
    const full = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true, directiveIsRepeatable: true });
    expect(errors(full, { maxDepth: 12, maxFields: 2000 })).toEqual([]);
    expect(errors(full, { maxDepth: 6, maxFields: 2000 })).toEqual([]);
  });

  it('counts no depth for ofType, which unwraps one wrapper type, but every other level', () => {
    expect(errors('{ __type(name: "Node") { ofType { ofType { ofType { ofType { name } } } } } }')).toEqual([]);
    expect(tooComplex('{ __schema { types { fields { type { name } } } } }')).toEqual(['The operation is nested deeper than 3 levels']);
    expect(tooComplex('{ __type(name: "Node") { ofType { fields { type { fields { name } } } } } }')).toHaveLength(1);
  });

  it('counts a field named ofType outside introspection like any other', () => {
    expect(tooComplex('{ node { ofType { ofType { id } } } }')).toEqual(['The operation is nested deeper than 3 levels']);
  });

  it('still counts every introspection field against the field limit', () => {
    expect(tooComplex(getIntrospectionQuery(), { maxDepth: 12, maxFields: 100 })).toEqual(['The operation selects more than 100 fields']);
  });
});

describe('field count', () => {
  it('counts every field, aliases included, and refuses more than the maximum', () => {
    expect(errors('{ a: node { id } b: node { id } c: node { id } d: node { id } e: node { id } }')).toEqual([]);
    expect(tooComplex('{ a: node { id } b: node { id } c: node { id } d: node { id } e: node { id } f: node { id } }')).toEqual([
      'The operation selects more than 10 fields',
    ]);
  });

  it('counts a fragment’s fields once for every place it is spread', () => {
    const fragment = 'fragment Fields on Node { id name }';
    expect(errors(`{ a: node { ...Fields } b: node { ...Fields } c: node { ...Fields } } ${fragment}`)).toEqual([]);
    expect(tooComplex(`{ a: node { ...Fields } b: node { ...Fields } c: node { ...Fields } d: node { ...Fields } } ${fragment}`)).toHaveLength(1);
  });

  it('stops early on a fragment bomb (each fragment spreading the next twice)', () => {
    const levels = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Node { ...F${i + 1} child { ...F${i + 1} } }`);
    const source = `{ node { ...F0 } } ${levels.join(' ')} fragment F30 on Node { id }`;
    const started = performance.now();
    expect(tooComplex(source, { maxDepth: 100, maxFields: 1000 })).toEqual(['The operation selects more than 1000 fields']);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('the refusal', () => {
  it('is QUERY_TOO_COMPLEX, carrying the DomainError the error formatter answers with', () => {
    const [error] = errors('{ node { child { child { id } } } }');
    expect(error?.extensions['code']).toBe('QUERY_TOO_COMPLEX');
    expect(error?.originalError).toBeInstanceOf(DomainError);
    expect((error?.originalError as DomainError).code).toBe('QUERY_TOO_COMPLEX');
  });

  it('a fragment cycle is left to graphql’s own rule, without looping', () => {
    const result = errors('{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }', {
      maxDepth: 50,
      maxFields: 1000,
    });
    expect(result.map((error) => error.message)).toContain('Cannot spread fragment "A" within itself via "B".');
  });
});

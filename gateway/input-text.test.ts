import { buildSchema, getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { inputTextFault } from './input-text.js';

const schema = buildSchema(`
  scalar JSONObject
  input Item { name: String!, tags: [String!] }
  input CreateInput { idempotencyKey: String!, description: String, metadata: JSONObject, items: [Item!] }
  type Thing { id: ID!, child(name: String): Thing }
  type Query { thing(id: ID!): Thing }
  type Mutation { create(input: CreateInput!): Thing }
`);

function fault(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const error = inputTextFault(schema, document, getOperationAST(document)!, variables);
  return error && { message: error.message, extensions: error.extensions };
}

const create = 'mutation($input: CreateInput!) { create(input: $input) { id } }';

describe('inputTextFault', () => {
  it('names the field of a variable along its type, with BAD_USER_INPUT and HTTP 400', () => {
    expect(fault(create, { input: { idempotencyKey: 'k\u0000' } })).toEqual({
      message: 'input.idempotencyKey: must not contain control characters (found U+0000)',
      extensions: { field: 'input.idempotencyKey', code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
    expect(fault(create, { input: { idempotencyKey: 'k', items: [{ name: 'a' }, { name: 'b', tags: ['x', 'y\n'] }] } })?.message).toMatch(/^input\.items\[1\]\.tags\[1\]:/);
  });

  it('lets free text keep LF and TAB, and JSON values too, but not JSON keys', () => {
    expect(fault(create, { input: { idempotencyKey: 'k', description: 'a\n\tb', metadata: { note: 'x\ny' } } })).toBeNull();
    expect(fault(create, { input: { idempotencyKey: 'k', metadata: { 'a\nb': 1 } } })?.message).toMatch(/^input\.metadata: key 1/);
  });

  it('checks literals, in fields nested anywhere and in fragments, and variables’ defaults', () => {
    expect(fault('{ thing(id: "a\\u0000") { id } }')?.message).toMatch(/^id:/);
    expect(fault('{ thing(id: "a") { ...F } } fragment F on Thing { child(name: "\\u0007") { id } }')?.message).toMatch(/^name:/);
    expect(fault('query($id: ID! = "\\u0000") { thing(id: $id) { id } }')?.message).toMatch(/^id:/);
    expect(fault('mutation { create(input: { idempotencyKey: "k", metadata: { a: { b: "\\u0000" } } }) { id } }')?.message).toMatch(/^input\.metadata\.a\.b:/);
  });

  it('refuses a JSONObject nested too deep, as a variable or a literal', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 5_000; level += 1) deep = { a: deep };
    expect(fault(create, { input: { idempotencyKey: 'k', metadata: deep } })?.message).toMatch(/nested at most 10 levels/);
    const literal = `${'{ a: '.repeat(11)}1${' }'.repeat(11)}`;
    expect(fault(`mutation { create(input: { idempotencyKey: "k", metadata: ${literal} }) { id } }`)?.message).toMatch(/nested at most 10 levels/);
  });

  it('accepts clean input', () => {
    expect(fault(create, { input: { idempotencyKey: 'idem-1', description: 'Order 42', metadata: { order: 42 } } })).toBeNull();
  });
});

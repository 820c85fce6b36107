import fc from 'fast-check';

/**
 * An input value as the fuzz test sends it, kept apart from its text so that one value can be written both as a
 * GraphQL literal and as JSON variables, including what JSON.stringify cannot write (1e400, -0, 00.1).
 */
export type FuzzValue =
  | { kind: 'string'; value: string }
  /** written as it is between quotes: raw control characters, unescaped (not valid GraphQL, often) */
  | { kind: 'rawString'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'enum'; name: string }
  | { kind: 'list'; items: FuzzValue[] }
  | { kind: 'object'; fields: [string, FuzzValue][] }
  /** {"a":{"a":…1…}} nested `depth` times, written without recursion */
  | { kind: 'deep'; depth: number };

export const fuzzString = (value: string): FuzzValue => ({ kind: 'string', value });
export const fuzzNumber = (text: string): FuzzValue => ({ kind: 'number', text });

/** How one notation writes what differs between GraphQL literals and JSON. */
interface Notation {
  rawString: (value: string) => string;
  enumValue: (name: string) => string;
  fieldName: (name: string) => string;
  separator: string;
}

const graphqlNotation: Notation = {
  rawString: (value) => `"${value.replace(/["\\]/g, '\\$&')}"`,
  enumValue: (name) => name,
  fieldName: (name) => `${name}: `,
  separator: ', ',
};

const jsonNotation: Notation = { rawString: (value) => JSON.stringify(value), enumValue: (name) => JSON.stringify(name), fieldName: (name) => `${JSON.stringify(name)}:`, separator: ',' };

function write(value: FuzzValue, notation: Notation): string {
  switch (value.kind) {
    case 'string':
      return JSON.stringify(value.value);
    case 'rawString':
      return notation.rawString(value.value);
    case 'number':
      return value.text;
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
    case 'enum':
      return notation.enumValue(value.name);
    case 'list':
      return `[${value.items.map((item) => write(item, notation)).join(notation.separator)}]`;
    case 'object':
      return `{${value.fields.map(([name, field]) => notation.fieldName(name) + write(field, notation)).join(notation.separator)}}`;
    case 'deep':
      return `${`{${notation.fieldName('a')}`.repeat(value.depth)}1${'}'.repeat(value.depth)}`;
  }
}

/** The value as a GraphQL literal. */
export const toLiteral = (value: FuzzValue): string => write(value, graphqlNotation);

/** The value as JSON text (not always valid JSON: that is the point of some values). */
export const toJsonText = (value: FuzzValue): string => write(value, jsonNotation);

const controlCharacter = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));

/** Strings an attacker sends: control characters (NUL first), lone surrogates, 10k characters, quotes, CRLF. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    'line\r\nInjected: header',
    '\uD800',
    '\uDFFF',
    'x\uDBFFy',
    '"; drop table payments; --',
    "' OR '1'='1",
    '\u202Egnp.exe',
    '\uFEFF',
    '\u007F\u0085\u2028\u2029',
    '%00%0d%0a',
    '${jndi:ldap://x}',
    '{{7*7}}',
    '<script>alert(1)</script>',
    '../../../../etc/passwd',
  ),
  fc.tuple(fc.string({ maxLength: 8 }), controlCharacter, fc.string({ maxLength: 8 })).map(([a, c, b]) => a + c + b),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1000, max: 10_000 }).map((length) => 'x'.repeat(length)),
  fc.constant('\u0000'.repeat(10_000)),
);

/** Numbers in text: huge, negative, non-finite once parsed, and a few that are not valid syntax at all. */
export const hostileNumberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '-0', '-1', '2147483648', '-2147483649', '9007199254740993', '1e400', '-1e400', '1e-400', '1.5', '1E308', '00.1', '0x10', '1_000'),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer({ min: 20, max: 400 }).map((digits) => '9'.repeat(digits)),
);

/** Decimal strings the way a bad client writes them. */
export const oddDecimal: fc.Arbitrary<string> = fc.constantFrom(
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  '-0.00',
  '00.1',
  '0.1',
  '.5',
  '5.',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  ' 10.00 ',
  '10.00\u0000',
  '1,000.00',
  '１０.００',
  '99999999999999999999999999999999999999.99',
  `1${'0'.repeat(5000)}`,
  `0.${'0'.repeat(5000)}1`,
);

export const oddDateTime: fc.Arbitrary<string> = fc.constantFrom(
  '2026-13-45T25:61:61Z',
  '0000-00-00T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '9999-12-31T23:59:59.999999999+14:00',
  '2026-01-01T00:00:00',
  '2026-01-01',
  '1970-01-01T00:00:00Z',
  '2026-02-30T00:00:00Z',
);

/** Values of any kind, for arguments of any type: the "wrong type" half of a generated argument. */
export const hostileValue: fc.Arbitrary<FuzzValue> = fc.oneof(
  { weight: 3, arbitrary: hostileText.map(fuzzString) },
  { weight: 1, arbitrary: hostileText.map((value): FuzzValue => ({ kind: 'rawString', value })) },
  { weight: 3, arbitrary: hostileNumberText.map(fuzzNumber) },
  { weight: 2, arbitrary: oddDecimal.map(fuzzString) },
  { weight: 1, arbitrary: fc.boolean().map((value): FuzzValue => ({ kind: 'boolean', value })) },
  { weight: 1, arbitrary: fc.constant<FuzzValue>({ kind: 'null' }) },
  { weight: 1, arbitrary: fc.constantFrom('NOPE', 'true', 'null', 'CARD', '__proto__').map((name): FuzzValue => ({ kind: 'enum', name })) },
  { weight: 2, arbitrary: fc.constantFrom(2, 64, 1000, 5000).map((depth): FuzzValue => ({ kind: 'deep', depth })) },
  {
    weight: 1,
    arbitrary: fc.jsonValue({ maxDepth: 3 }).map((json) => fuzzString(JSON.stringify(json) ?? '')),
  },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 3000 }).map((length): FuzzValue => ({ kind: 'list', items: Array.from({ length }, () => fuzzNumber('1')) })) },
);

/** A JSONObject value: ordinary ones, deep ones, hostile keys, and what is not an object at all. */
export const jsonObjectValue: fc.Arbitrary<FuzzValue> = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(hostileText.map(fuzzString), hostileNumberText.map(fuzzNumber)), { maxKeys: 4 }).map(
    (entries): FuzzValue => ({ kind: 'object', fields: Object.entries(entries) }),
  ),
  fc.constantFrom(10, 100, 1000, 5000, 20_000).map((depth): FuzzValue => ({ kind: 'deep', depth })),
  fc.constant<FuzzValue>({ kind: 'object', fields: [['__proto__', { kind: 'object', fields: [['polluted', fuzzString('yes')]] }], ['constructor', fuzzString('x')]] }),
  fc.constant<FuzzValue>({ kind: 'object', fields: Array.from({ length: 2000 }, (_, index): [string, FuzzValue] => [`k${index}`, fuzzString('v')]) }),
  fc.constant<FuzzValue>({ kind: 'list', items: [fuzzNumber('1')] }),
);

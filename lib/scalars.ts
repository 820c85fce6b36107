import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { JSON_LIMITS, jsonFault, MAX_DECIMAL_LENGTH } from './input-rules.js';

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !isoTimestamp.test(value)) {
    throw new GraphQLError(`DateTime must be an ISO-8601 timestamp such as 2026-11-22T03:19:58.123Z`);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new GraphQLError(`DateTime "${value}" is not a valid time`);
  return date;
}

/** ISO-8601 UTC with milliseconds out; any ISO-8601 timestamp with a zone in. */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

const decimalPattern = /^-?\d+(\.\d+)?$/;

function parseDecimal(value: unknown): string {
  if (typeof value === 'string' && value.length > MAX_DECIMAL_LENGTH) {
    throw new GraphQLError(`Decimal must be at most ${MAX_DECIMAL_LENGTH} characters`);
  }
  if (typeof value !== 'string' || !decimalPattern.test(value.trim())) {
    throw new GraphQLError('Decimal must be a string such as "10.00" (never a number)');
  }
  return value.trim();
}

/** Exact decimals as strings: a JSON number is refused, so no float ever carries an amount. */
export const Decimal = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  serialize: (value) => String(value),
  parseValue: parseDecimal,
  parseLiteral: (ast) => parseDecimal(ast.kind === Kind.STRING ? ast.value : undefined),
});

function literalToJson(ast: ValueNode, variables: Record<string, unknown> | null | undefined, depth: number): unknown {
  // deeper than any JSONObject accepts: refused here, before the recursion goes deeper still
  const nested = ast.kind === Kind.LIST || ast.kind === Kind.OBJECT;
  if (nested && depth > JSON_LIMITS.maxDepth) throw new GraphQLError(`JSONObject must be nested at most ${JSON_LIMITS.maxDepth} levels deep`);
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables, depth + 1));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables, depth + 1)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      throw new GraphQLError('Unsupported JSON literal');
  }
}

function asObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GraphQLError('JSONObject must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Input: an object within JSON_LIMITS, its keys without control characters, its strings free text. */
function parseObject(value: unknown): Record<string, unknown> {
  const object = asObject(value);
  const fault = jsonFault(object);
  if (fault) throw new GraphQLError(`JSONObject${fault.at ? ` at ${fault.at}` : ''} ${fault.reason}`);
  return object;
}

export const JSONObject = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: 'JSONObject',
  serialize: (value) => asObject(value),
  parseValue: parseObject,
  parseLiteral: (ast, variables) => parseObject(literalToJson(ast, variables, 1)),
});

export const scalarResolvers = { DateTime, Decimal, JSONObject };

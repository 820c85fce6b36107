import type { Span, Tracer } from '@opentelemetry/api';
import { GraphQLScalarType } from 'graphql';
import { recordFailure } from './span-failure.js';
import { serviceTracer } from './tracing.js';

type Resolver = (this: unknown, ...args: unknown[]) => unknown;
type ResolverMap = { [typeName: string]: GraphQLScalarType | { [fieldName: string]: unknown } };

const ROOT_TYPES = new Set(['Query', 'Mutation']);

function settle(span: Span, result: unknown): unknown {
  if (!(result instanceof Promise)) {
    span.end();
    return result;
  }
  return result.then(
    (value: unknown) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      recordFailure(span, error);
      span.end();
      throw error;
    },
  );
}

function traced(tracer: Tracer, name: string, resolve: Resolver): Resolver {
  return function (this: unknown, ...args: unknown[]) {
    return tracer.startActiveSpan(name, (span) => {
      try {
        return settle(span, resolve.apply(this, args));
      } catch (error) {
        recordFailure(span, error);
        span.end();
        throw error;
      }
    });
  };
}

/**
 * `service`'s resolvers with a span around each root field (Query, Mutation) and each
 * `__resolveReference`, active while it runs so that its SQL is its child. Fields below a root get
 * none: a span per field of a page would cost more than the fields. The map itself when tracing is off.
 */
export function tracedResolvers<T extends ResolverMap>(service: string, resolvers: T): T {
  const tracer = serviceTracer(service);
  if (!tracer) return resolvers;
  const wrapped: ResolverMap = {};
  for (const [typeName, fields] of Object.entries(resolvers)) {
    if (fields instanceof GraphQLScalarType) {
      wrapped[typeName] = fields;
      continue;
    }
    const root = ROOT_TYPES.has(typeName);
    wrapped[typeName] = Object.fromEntries(
      Object.entries(fields).map(([field, resolve]) =>
        typeof resolve === 'function' && (root || field === '__resolveReference') ? [field, traced(tracer, `${typeName}.${field}`, resolve as Resolver)] : [field, resolve],
      ),
    );
  }
  return wrapped as T;
}

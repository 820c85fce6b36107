import { SpanStatusCode, type Span } from '@opentelemetry/api';

/** Marks `span` failed with `error`, recorded as its exception event. */
export function recordFailure(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

import { SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { DefaultLogger, type LogContext, type LoggerOptions } from '@mikro-orm/core';
import { ATTR_DB_NAMESPACE, ATTR_DB_OPERATION_NAME, ATTR_DB_QUERY_TEXT, ATTR_DB_SYSTEM_NAME } from '@opentelemetry/semantic-conventions';
import { serviceTracer } from './tracing.js';

/** The older name of db.system.name, which many backends still read. */
const ATTR_DB_SYSTEM = 'db.system';

/**
 * A MikroORM logger that also records each statement as a span of `service`: its text as MikroORM runs
 * it, with placeholders (`?`, `$1`), never the values, which are only logged with a `query-params` debug
 * mode nobody sets. MikroORM reports a statement once it is done, with its duration in whole
 * milliseconds: the span starts that long before. Only statements within a traced request's open span
 * get one (the background jobs' polls would each be a trace of their own). Undefined when tracing is off.
 */
export function tracedSqlLoggerFactory(service: string, system: 'sqlite' | 'postgresql'): ((options: LoggerOptions) => DefaultLogger) | undefined {
  const found = serviceTracer(service);
  if (!found) return undefined;
  const tracer: Tracer = found;
  class TracedSqlLogger extends DefaultLogger {
    override logQuery(entry: { query: string } & LogContext): void {
      super.logQuery(entry);
      // a job started from a request (a relay woken by its commit) keeps its context, timers included: once that span has ended, its statements are no longer the request's
      if (!trace.getActiveSpan()?.isRecording()) return;
      const endTime = Date.now();
      const operation = /^\s*(\w+)/.exec(entry.query)?.[1]?.toLowerCase() ?? 'query';
      const span = tracer.startSpan(`${operation} ${service}`, {
        kind: SpanKind.CLIENT,
        startTime: endTime - (entry.took ?? 0),
        attributes: {
          [ATTR_DB_SYSTEM]: system,
          [ATTR_DB_SYSTEM_NAME]: system,
          [ATTR_DB_NAMESPACE]: service,
          [ATTR_DB_OPERATION_NAME]: operation,
          [ATTR_DB_QUERY_TEXT]: entry.query,
        },
      });
      if (entry.level === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
      span.end(endTime);
    }
  }
  return (options) => new TracedSqlLogger(options);
}

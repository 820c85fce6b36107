import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { GraphQLScalarType } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { tracedPost } from './client-span.js';
import { loadTracingConfig } from './config.js';
import { tracedResolvers } from './resolvers.js';
import { serverSpans } from './server-span.js';
import { tracedSqlLoggerFactory } from './sql.js';
import { serviceTracer, startTracing, type Tracing } from './tracing.js';

describe('tracing config', () => {
  it('is off unless an OTLP endpoint is named', () => {
    expect(loadTracingConfig({}).tracesUrl).toBeNull();
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracesUrl).toBe('http://collector:4318/v1/traces');
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/traces' }).tracesUrl).toBe('http://b:4318/traces');
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_SDK_DISABLED: 'true' }).tracesUrl).toBeNull();
  });

  it('reads headers and resource attributes as key=value lists; service.name stays each service’s own', () => {
    const config = loadTracingConfig({
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20x, x-team=pay',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=ledger',
      OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=paygraph,service.name=ignored,deployment.environment.name=staging',
    });
    expect(config.headers).toEqual({ authorization: 'Bearer x', 'x-team': 'ledger' });
    expect(config.resourceAttributes).toEqual({ 'service.namespace': 'paygraph', 'deployment.environment.name': 'staging' });
  });

  it('names the bad variable', () => {
    expect(() => loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => loadTracingConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS/);
    expect(() => loadTracingConfig({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER/);
  });
});

describe('with the endpoint unset', () => {
  it('registers no provider, propagator or context manager, and no service installs a hook', async () => {
    const tracing = startTracing(loadTracingConfig({}));
    expect(tracing.enabled).toBe(false);
    expect(serviceTracer('gateway')).toBeUndefined();
    const span = trace.getTracer('@apollo/gateway').startSpan('gateway.request');
    expect(span.isRecording()).toBe(false);
    expect(propagation.fields()).toEqual([]);
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    expect(carrier).toEqual({});
    expect(serverSpans('gateway', '/graphql')).toEqual([]);
    const resolvers = { Query: { payment: () => null } };
    expect(tracedResolvers('payment', resolvers)).toBe(resolvers);
    expect(tracedSqlLoggerFactory('payment', 'sqlite')).toBeUndefined();
    const post = async () => ({ status: 200, statusText: 'OK', headers: {}, body: '{}' });
    expect(tracedPost('gateway', 'payment', 'http://127.0.0.1:1/graphql', post)).toBe(post);
    await tracing.shutdown();
  });
});

describe('with tracing on', () => {
  let tracing: Tracing | undefined;
  let exporter = new InMemorySpanExporter();
  const start = () => (tracing = startTracing(loadTracingConfig({}), exporter));
  afterEach(async () => {
    await tracing?.shutdown();
    exporter = new InMemorySpanExporter();
  });

  it('gives each service its own service.name; the global provider (@apollo/gateway’s) is the gateway’s', async () => {
    start();
    serviceTracer('payment')!.startSpan('a').end();
    trace.getTracer('@apollo/gateway').startSpan('gateway.plan').end();
    await tracing!.flush();
    const services = exporter.getFinishedSpans().map((span) => [span.name, span.resource.attributes['service.name']]);
    expect(services).toEqual([
      ['a', 'payment'],
      ['gateway.plan', 'gateway'],
    ]);
    expect(() => startTracing(loadTracingConfig({}), exporter)).toThrow(/already started/);
  });

  it('follows the sampler: always_off records nothing, parentbased follows the caller’s sampled flag', async () => {
    tracing = startTracing(loadTracingConfig({ OTEL_TRACES_SAMPLER: 'always_off' }), exporter);
    expect(serviceTracer('payment')!.startSpan('a').isRecording()).toBe(false);
    await tracing.shutdown();
    exporter = new InMemorySpanExporter();
    start();
    const unsampled = propagation.extract(context.active(), { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' });
    expect(serviceTracer('payment')!.startSpan('b', {}, unsampled).isRecording()).toBe(false);
    const sampled = propagation.extract(context.active(), { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    const span = serviceTracer('payment')!.startSpan('c', {}, sampled);
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('shutdown unregisters everything, so that a later start registers again', async () => {
    start();
    await tracing!.shutdown();
    expect(serviceTracer('gateway')).toBeUndefined();
    expect(trace.getTracer('x').startSpan('y').isRecording()).toBe(false);
    exporter = new InMemorySpanExporter();
    start();
    expect(trace.getTracer('x').startSpan('y').isRecording()).toBe(true);
  });

  it('spans root fields and __resolveReference, active while they run, and leaves other fields and scalars alone', async () => {
    start();
    const scalar = new GraphQLScalarType({ name: 'Money' });
    const leaf = () => 'leaf';
    const resolvers = tracedResolvers('payment', {
      Money: scalar,
      Query: { payment: async () => trace.getActiveSpan()?.isRecording() },
      Mutation: { fail: () => Promise.reject(new Error('refused')) },
      Payment: { __resolveReference: () => ({ id: 'p' }), status: leaf },
    });
    expect(resolvers.Money).toBe(scalar);
    expect(resolvers.Payment.status).toBe(leaf);
    expect(await resolvers.Query.payment()).toBe(true);
    await expect(resolvers.Mutation.fail()).rejects.toThrow('refused');
    expect(resolvers.Payment.__resolveReference()).toEqual({ id: 'p' });
    await tracing!.flush();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['Query.payment', 'Mutation.fail', 'Payment.__resolveReference']);
    expect(spans[1]!.status.code).toBe(2);
  });

  it('records a statement of an open request span with its placeholders, and none outside one', async () => {
    start();
    const writes: string[] = [];
    const logger = tracedSqlLoggerFactory('accounting', 'postgresql')!({ writer: (message) => writes.push(message), debugMode: ['query'] });
    const tracer = serviceTracer('accounting')!;
    logger.logQuery({ query: 'select 1', took: 0 });
    const request = tracer.startSpan('POST /graphql');
    context.with(trace.setSpan(context.active(), request), () => logger.logQuery({ query: 'select * from "ledger" where "id" = $1', params: ['secret-id'], took: 3 }));
    request.end();
    context.with(trace.setSpan(context.active(), request), () => logger.logQuery({ query: 'select 2', took: 0 }));
    await tracing!.flush();
    const statements = exporter.getFinishedSpans().filter((span) => span.attributes['db.system'] !== undefined);
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement!.name).toBe('select accounting');
    expect(statement!.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(statement!.attributes).toMatchObject({ 'db.system': 'postgresql', 'db.system.name': 'postgresql', 'db.namespace': 'accounting', 'db.query.text': 'select * from "ledger" where "id" = $1' });
    expect(JSON.stringify(statement!.attributes)).not.toContain('secret-id');
    expect(statement!.duration[0] * 1000 + statement!.duration[1] / 1e6).toBeGreaterThanOrEqual(3);
    // the logger still logs, for the tests that count statements
    expect(writes).toHaveLength(3);
  });

  it('a subgraph post carries the traceparent of its client span', async () => {
    start();
    let sent: Record<string, string> | undefined;
    const post = tracedPost('gateway', 'payment', 'http://127.0.0.1:4001/graphql', async (_body: string, _principal: string, headers?: Record<string, string>) => {
      sent = headers;
      return { status: 200, statusText: 'OK', headers: {}, body: '{}' };
    });
    await post('{}', 'principal', { 'x-extra': '1' });
    await tracing!.flush();
    const [client] = exporter.getFinishedSpans();
    expect(sent?.['x-extra']).toBe('1');
    expect(sent?.['traceparent']).toBe(`00-${client!.spanContext().traceId}-${client!.spanContext().spanId}-01`);
    expect(client!.attributes).toMatchObject({ 'peer.service': 'payment', 'server.port': 4001, 'http.response.status_code': 200 });
  });
});

import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { SamplerName, TracingConfig } from './config.js';

/** The instrumentation scope of Paygraph's own spans. */
const SCOPE = 'paygraph';

/** What `startTracing` returns: `shutdown` exports the spans still queued, then unregisters everything. */
export interface Tracing {
  enabled: boolean;
  /** exports the spans ended so far now (tests) */
  flush: () => Promise<void>;
  shutdown: () => Promise<void>;
}

interface Active {
  processor: BatchSpanProcessor;
  providers: Map<string, BasicTracerProvider>;
  providerOf: (service: string) => BasicTracerProvider;
}

/**
 * Several services share one process (`npm start`, the tests), yet each must appear as itself: one
 * provider per service, each with its own resource (service.name), all feeding one batch processor and
 * one exporter. OpenTelemetry's API is global (context, propagation, the tracer @apollo/gateway asks
 * for), so there is one tracing setup per process, here.
 */
let active: Active | null = null;

const off: Tracing = { enabled: false, flush: async () => undefined, shutdown: async () => undefined };

function samplerOf(name: SamplerName, ratio: number): Sampler {
  const root = name.endsWith('always_off') ? new AlwaysOffSampler() : name.endsWith('traceidratio') ? new TraceIdRatioBasedSampler(ratio) : new AlwaysOnSampler();
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/**
 * Starts tracing for this process when the config names an OTLP endpoint; otherwise registers
 * nothing: OpenTelemetry's API stays its no-op, and `serviceTracer` answers undefined so that no
 * service installs a hook (nothing runs per request). Call it before the services start.
 */
export function startTracing(config: Readonly<TracingConfig>, exporter?: SpanExporter): Tracing {
  if (config.tracesUrl === null && exporter === undefined) return off;
  if (active) throw new Error('tracing is already started in this process');
  const processor = new BatchSpanProcessor(exporter ?? new OTLPTraceExporter({ url: config.tracesUrl!, headers: { ...config.headers } }));
  const sampler = samplerOf(config.sampler, config.samplerRatio);
  const providers = new Map<string, BasicTracerProvider>();
  const providerOf = (service: string) => {
    let provider = providers.get(service);
    if (!provider) {
      const resource = resourceFromAttributes({ ...config.resourceAttributes, [ATTR_SERVICE_NAME]: service });
      providers.set(service, (provider = new BasicTracerProvider({ resource, sampler, spanProcessors: [processor] })));
    }
    return provider;
  };
  active = { processor, providers, providerOf };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  // @apollo/gateway's spans (gateway.request, gateway.plan, gateway.fetch, …) come through the global provider
  trace.setGlobalTracerProvider(providerOf('gateway'));
  return {
    enabled: true,
    flush: () => processor.forceFlush(),
    shutdown: async () => {
      if (active?.processor !== processor) return;
      active = null;
      // the processor is shared: shutting it down once flushes and closes the exporter for every provider
      await processor.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** The tracer of `service`'s own spans, or undefined when tracing is off (the caller then installs nothing). */
export function serviceTracer(service: string): Tracer | undefined {
  return active?.providerOf(service).getTracer(SCOPE);
}

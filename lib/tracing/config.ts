import { z } from 'zod';
import { envBoolean, parseEnv, type Env, frozen, type Frozen } from '../config-loader.js';

const keyValueList = (what: string) =>
  z
    .string()
    .default('')
    .transform((value, ctx) => {
      const pairs: Record<string, string> = {};
      for (const item of value.split(',').map((part) => part.trim()).filter(Boolean)) {
        const at = item.indexOf('=');
        if (at <= 0) {
          ctx.addIssue({ code: 'custom', message: `${JSON.stringify(item)} is no key=value ${what}: list them comma-separated, e.g. a=1,b=2` });
          return z.NEVER;
        }
        pairs[decodeURIComponent(item.slice(0, at).trim())] = decodeURIComponent(item.slice(at + 1).trim());
      }
      return pairs;
    });

const schema = z.object({
  OTEL_SDK_DISABLED: envBoolean.default(false),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_HEADERS: keyValueList('header'),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: keyValueList('header'),
  OTEL_RESOURCE_ATTRIBUTES: keyValueList('attribute'),
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
    .default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
});

export type SamplerName = z.infer<typeof schema>['OTEL_TRACES_SAMPLER'];

export interface TracingConfig {
  /** where spans are sent as OTLP/HTTP JSON (…/v1/traces); null: tracing is off and nothing is registered */
  tracesUrl: string | null;
  headers: Record<string, string>;
  /** added to every service's resource (its service.name is always the service's own: gateway, payment, …) */
  resourceAttributes: Record<string, string>;
  sampler: SamplerName;
  /** the ratio of the traceidratio samplers */
  samplerRatio: number;
}

/** The OpenTelemetry variables, by their standard names: one setting for the whole process, whichever services it runs. */
export function loadTracingConfig(env: Env = process.env): Frozen<TracingConfig> {
  const e = parseEnv('tracing', schema, env);
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const tracesUrl = e.OTEL_SDK_DISABLED ? null : (e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base === undefined ? null : `${base}/v1/traces`));
  // one process runs several services: each names itself, whatever the environment says
  const resourceAttributes = Object.fromEntries(Object.entries(e.OTEL_RESOURCE_ATTRIBUTES).filter(([key]) => key !== 'service.name'));
  return frozen({
    tracesUrl,
    headers: { ...e.OTEL_EXPORTER_OTLP_HEADERS, ...e.OTEL_EXPORTER_OTLP_TRACES_HEADERS },
    resourceAttributes,
    sampler: e.OTEL_TRACES_SAMPLER,
    samplerRatio: e.OTEL_TRACES_SAMPLER_ARG,
  });
}

import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';
import type { HttpAnswer } from '../http-request.js';
import { recordFailure } from './span-failure.js';
import { serviceTracer } from './tracing.js';

/** The name of the service called, as tracing backends draw their service maps (not yet a stable convention). */
const ATTR_PEER_SERVICE = 'peer.service';

type Post = (body: string, principal: string, headers?: Record<string, string>) => Promise<HttpAnswer>;

/**
 * `post` to the service `peer` at `url` as a client span of `service`, its `traceparent` in the request's
 * headers (they are outside the internal signature, which covers method, path, principal and body): `post`
 * itself when tracing is off.
 */
export function tracedPost<P extends Post>(service: string, peer: string, url: string, post: P): P {
  const tracer = serviceTracer(service);
  if (!tracer) return post;
  const parsed = new URL(url);
  const attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: 'POST',
    [ATTR_URL_FULL]: url,
    [ATTR_SERVER_ADDRESS]: parsed.hostname,
    [ATTR_SERVER_PORT]: Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)),
    [ATTR_PEER_SERVICE]: peer,
  };
  const traced: Post = (body, principal, headers) =>
    tracer.startActiveSpan('POST', { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const carrier: Record<string, string> = { ...headers };
      propagation.inject(trace.setSpan(context.active(), span), carrier);
      try {
        const answer = await post(body, principal, carrier);
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, answer.status);
        if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return answer;
      } catch (error) {
        recordFailure(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  return traced as P;
}

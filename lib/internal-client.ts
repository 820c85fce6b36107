import type { z } from 'zod';
import { httpRequest, type HttpAnswer } from './http-request.js';
import { signedJsonHeaders, SYSTEM_PRINCIPAL } from './internal-signature.js';
import { requestIdHeader } from './request-context.js';
import { parseJson, routeRefusal, type InternalRoute, type InternalStreamRoute, type RouteRefusal } from './internal-route.js';

/**
 * A call of an internal route that did not bring its reply: the service could not be reached
 * (`status` null), answered another status (with its `refusal` when it said why), or a malformed reply.
 */
export class InternalCallError extends Error {
  constructor(
    readonly path: string,
    readonly status: number | null,
    readonly refusal: RouteRefusal | null,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'InternalCallError';
  }
}

/** The base URL of a service without trailing slashes, so `${base}${path}` has one. */
export function routeUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/** The headers of a JSON POST to `route`, signed for its service and path with `principal`. */
export function signedRouteHeaders(route: InternalRoute | InternalStreamRoute, secret: string, principal: string, body: string): Record<string, string> {
  return signedJsonHeaders(secret, { method: 'POST', service: route.service, path: route.path, principal, body });
}

/**
 * POSTs `request` to `route` of the service at `baseUrl`, signed for `principal` (the system's own by
 * default), and reads the reply with the route's schema. Anything but a well-formed 2xx reply is an InternalCallError.
 */
export async function callInternalRoute<Request extends z.ZodType, Reply extends z.ZodType>(
  route: InternalRoute<Request, Reply>,
  baseUrl: string,
  secret: string,
  request: z.input<Request>,
  principal = SYSTEM_PRINCIPAL,
): Promise<z.output<Reply>> {
  const body = JSON.stringify(request);
  let response: HttpAnswer;
  try {
    response = await httpRequest(routeUrl(baseUrl, route.path), {
      method: 'POST',
      headers: { ...signedRouteHeaders(route, secret, principal, body), ...requestIdHeader() },
      body,
      timeoutMs: route.timeoutMs,
    });
  } catch (cause) {
    throw new InternalCallError(route.path, null, null, `${route.path} could not be reached`, { cause });
  }
  const json = parseJson(response.body);
  if (response.status < 200 || response.status >= 300) {
    const refusal = routeRefusal.safeParse(json).data?.error ?? null;
    throw new InternalCallError(route.path, response.status, refusal, `${route.path} answered HTTP ${response.status}${refusal ? `: ${refusal.code} ${refusal.message}` : ''}`);
  }
  const reply = route.reply.safeParse(json);
  if (!reply.success) throw new InternalCallError(route.path, response.status, null, `${route.path} answered a malformed reply: ${reply.error.message}`);
  return reply.data;
}

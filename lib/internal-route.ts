import { z } from 'zod';

/**
 * A signed internal route between services (a POST of JSON, signed with lib/internal-signature.ts),
 * declared once by the service that serves it: the server reads the request with `request` and answers
 * a `reply`; the one client (lib/internal-client.ts) sends a request and reads the reply with the same schemas.
 */
export interface InternalRoute<Request extends z.ZodType = z.ZodType, Reply extends z.ZodType = z.ZodType> {
  /** the name of the service that serves it (payment, accounting, transaction, analytics): requests are signed for it only */
  service: string;
  path: string;
  request: Request;
  reply: Reply;
  /** how long a caller waits for the whole reply */
  timeoutMs: number;
}

/** A signed internal route whose reply is streamed (not JSON): only its path and request are declared. */
export interface InternalStreamRoute<Request extends z.ZodType = z.ZodType> {
  service: string;
  path: string;
  request: Request;
}

/** What a caller sends (the schema's input). */
export type RouteRequest<R extends { request: z.ZodType }> = z.input<R['request']>;
/** What the server answers, as it goes on the wire. */
export type RouteReply<R extends { reply: z.ZodType }> = z.input<R['reply']>;
/** The reply as the caller reads it. */
export type ParsedRouteReply<R extends { reply: z.ZodType }> = z.output<R['reply']>;

/** How an internal route refuses: `{ error: { code, message } }` with a 4xx or 5xx status. */
export const routeRefusal = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type RouteRefusal = z.infer<typeof routeRefusal>['error'];

/** The request of a route read from its raw body: undefined when the body is not JSON. */
export function parseRouteRequest<Request extends z.ZodType>(route: { request: Request }, body: Buffer): z.ZodSafeParseResult<z.output<Request>> {
  return route.request.safeParse(parseJson(body.toString('utf8')));
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

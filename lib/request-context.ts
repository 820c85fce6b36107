import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { scrubbedText } from './logging/redaction.js';

/** The header a request's id comes in (from a client or a proxy), goes back in, and is passed to subgraphs in. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What code running for one request (or one event) knows of it, wherever it runs. */
export interface RequestContext {
  /** what every log line in this context carries: `{ requestId }` for a request, `{ eventId }` while an event is applied */
  readonly logFields: Readonly<Record<string, string>>;
  readonly requestId: string | undefined;
  /** learnt as the request is served, for its access line (lib/access-log.ts) */
  operationName?: string;
  /** the id of the API key it authenticated with (null: the admin key); never the key */
  keyId?: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

const acceptable = /^[\x20-\x7e]{1,128}$/;

/**
 * A caller's id when it is printable ASCII of at most 128 characters (it goes into logs and headers as
 * given) and not shaped as a secret (a key sent by mistake would be logged), else a new random one.
 */
export function acceptedRequestId(header: unknown): string {
  return typeof header === 'string' && acceptable.test(header) && scrubbedText(header) === header ? header : randomUUID();
}

/** Runs `fn` (and all it starts) as part of the request `requestId`. */
export function runInRequest<T>(requestId: string, fn: () => T): T {
  return storage.run({ logFields: { requestId }, requestId }, fn);
}

/** Runs `fn` as the application of the event `eventId`: its log lines carry the event's id, not that of a request that woke it. */
export function runForEvent<T>(eventId: string, fn: () => T): T {
  return storage.run({ logFields: { eventId }, requestId: undefined }, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** An error's extensions with the id of the request it answers, so a client can quote it and an operator find its log lines. */
export function withRequestId<T extends Record<string, unknown>>(extensions: T): T & { requestId?: string } {
  const requestId = currentRequestId();
  return requestId === undefined ? extensions : { ...extensions, requestId };
}

/** The header that passes the current request's id on to a service called for it; none outside a request. */
export function requestIdHeader(): Record<string, string> {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { [REQUEST_ID_HEADER]: requestId };
}

import type { Redis } from 'ioredis';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError, ErrorCode, type DomainError as Refusal } from '../../lib/errors.js';
import { sendRefusal } from '../../lib/http-refusal.js';
import type { RefusingLimit } from '../../lib/metrics/gateway.js';
import type { Principal } from '../../lib/principal.js';
import type { Authenticate } from '../authentication.js';
import { clientAddress, trustProxy, type TrustProxy } from './client-address.js';
import { createRateLimits, type RateLimits, type RateLimitSettings } from './rate-limits.js';

/** RATE_LIMITED as HTTP: 429, the refusal as a GraphQL error, and Retry-After when a time can be told. */
export function sendRateLimited(res: Response, refusal: Refusal): void {
  const retryAfter = refusal.details['retryAfter'];
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
  sendRefusal(res, refusal);
}

const PRINCIPAL = 'principal';

/**
 * The request's principal: the one the rate limits authenticated it as (kept in `res.locals`), so a
 * route behind them does not hash and look up the key again; else authenticated here.
 */
export async function requestPrincipal(req: Request, res: Response, authenticate: Authenticate): Promise<Principal> {
  return (res.locals[PRINCIPAL] as Principal | undefined) ?? authenticate(req.headers.authorization);
}

/**
 * The rate limits of HTTP requests (/graphql, statements), before their body is read: the address's
 * budget and lockout, then the key's budget and its requests in flight (released when the response is
 * done or the client has gone). A key that fails authentication counts against its address and goes on,
 * so the route answers UNAUTHENTICATED as it always has, from the authenticator's cache without a
 * second lookup.
 */
export function httpRateLimits(limits: RateLimits, authenticate: Authenticate, trust: TrustProxy): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'OPTIONS') return next();
    const address = clientAddress(req, trust);
    const refusedAddress = await limits.admitAddress(address);
    if (refusedAddress) return sendRateLimited(res, refusedAddress);
    let principal;
    try {
      principal = await authenticate(req.headers.authorization);
    } catch (error) {
      // Anything else (the payment subgraph unreachable) the route reports as it always has.
      if (error instanceof DomainError && error.code === ErrorCode.UNAUTHENTICATED) await limits.authenticationFailed(address);
      return next();
    }
    const refusedKey = await limits.admitKey(principal);
    if (refusedKey) return sendRateLimited(res, refusedKey);
    const release = limits.enter(principal);
    if (release instanceof DomainError) return sendRateLimited(res, release);
    // A client gone while it waited has closed its response already: nothing would release the place later.
    if (res.closed) return release();
    res.once('close', release);
    res.locals[PRINCIPAL] = principal;
    next();
  };
}

/** The gateway's rate limits (Redis-backed when a client is given), TRUST_PROXY set on the app, and the HTTP middleware. */
export function gatewayRateLimits(app: Express, settings: RateLimitSettings, authenticate: Authenticate, redis?: Redis, refused: (limit: RefusingLimit) => void = () => undefined) {
  const limits = createRateLimits(settings, redis, refused);
  const trust = trustProxy(app, settings.trustProxy);
  return { limits, trust, settings, refused, http: httpRateLimits(limits, authenticate, trust) };
}
export type GatewayRateLimits = ReturnType<typeof gatewayRateLimits>;

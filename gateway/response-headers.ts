import cors from 'cors';
import type { RequestHandler } from 'express';
import { noSniff } from '../lib/no-sniff.js';

export interface ResponseHeaderOptions {
  /** the browser origins allowed to call the API (exact, e.g. https://dashboard.example.com); none: no CORS headers at all */
  corsOrigins: readonly string[];
  /** Strict-Transport-Security's max-age; null: no HSTS (a deployment without TLS in front) */
  hstsMaxAgeSeconds: number | null;
}

/** An origin as a browser sends it in Origin: scheme, host and port only (CORS_ORIGINS lists them). */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value && !value.includes('*');
  } catch {
    return false;
  }
}

/** The explorer's page and assets: no secret in them, and they set their own caching (gateway/explorer/routes.ts). */
const EXPLORER_PATH = /^\/explorer(\/|$)/;

/**
 * On every answer: `nosniff` (a JSON or CSV answer is never run as a script or page), HSTS when configured,
 * and `no-store` on everything but the explorer's files: GraphQL answers carry merchant data and new API keys,
 * statements carry payments, and no proxy or browser cache should keep them.
 */
export function responseHeaders(options: ResponseHeaderOptions): RequestHandler {
  const hsts = options.hstsMaxAgeSeconds ? `max-age=${options.hstsMaxAgeSeconds}; includeSubDomains` : null;
  return (req, res, next) => {
    if (hsts) res.setHeader('Strict-Transport-Security', hsts);
    if (!EXPLORER_PATH.test(req.path)) res.setHeader('Cache-Control', 'no-store');
    noSniff(req, res, next);
  };
}

/**
 * CORS for the API routes: an origin in the allow-list gets Access-Control-Allow-Origin (its own, never `*`),
 * any other gets none, so its browser keeps the answer from it. No credentials: keys travel in Authorization,
 * never in cookies. A preflight (OPTIONS) is answered here with the methods and the headers a GraphQL client
 * sends: Apollo Client's, including the ones Apollo Server's CSRF prevention accepts in place of a preflight.
 */
export function corsPolicy(origins: readonly string[]): RequestHandler {
  if (origins.length === 0) return (_req, _res, next) => next();
  return cors({
    origin: [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'apollo-require-preflight',
      'x-apollo-operation-name',
      'apollographql-client-name',
      'apollographql-client-version',
    ],
    // a statement's file name, and how long a rate-limited client should wait
    exposedHeaders: ['content-disposition', 'retry-after'],
    credentials: false,
    maxAge: 600,
  });
}

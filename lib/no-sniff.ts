import type { RequestHandler } from 'express';

/** `X-Content-Type-Options: nosniff` on every answer: a JSON, CSV or text answer is never taken by a browser for a script or a page. */
export const noSniff: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
};

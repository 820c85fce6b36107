import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCode } from './errors.js';
import { withRequestId } from './request-context.js';

/**
 * The last error handler of an express app serving our API: whatever reaches it (a body too large
 * or not JSON, a fault in a route) is answered as JSON with a contract code, never as express's
 * HTML page (which shows a stack and file paths). The message never quotes the request.
 */
export function finalErrorHandler(options: { bodyLimit: string; onInternalError: (error: unknown) => void }): ErrorRequestHandler {
  return (error: { status?: unknown; type?: unknown }, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status < 400 || status >= 500) {
      options.onInternalError(error);
      res.status(500).json({ errors: [{ message: 'Internal server error', extensions: withRequestId({ code: ErrorCode.INTERNAL_SERVER_ERROR }) }] });
      return;
    }
    const message =
      error.type === 'entity.too.large'
        ? `The request body is larger than ${options.bodyLimit}`
        : error.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON'
          : 'The request could not be read';
    res.status(status).json({ errors: [{ message, extensions: withRequestId({ code: ErrorCode.BAD_USER_INPUT }) }] });
  };
}

/** After every route: a request no route took is a JSON 404 (express's own is an HTML page quoting the path). */
export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).json({ errors: [{ message: 'There is nothing at this path: the API is POST /graphql', extensions: withRequestId({ code: ErrorCode.NOT_FOUND }) }] });
};

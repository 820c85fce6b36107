import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * The explorer loads nothing but this server's own files: GraphiQL's CSS embeds its fonts as data:
 * URLs, hence `data:` for fonts and images; no inline script or style, no other origin.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** URL path → folder: the packages' browser builds, and the page's own script and stylesheet. */
const staticFolders: [string, string][] = [
  ['/explorer/assets/graphiql', join(packageDir('graphiql'), 'dist')],
  ['/explorer/assets/react', join(packageDir('react'), 'umd')],
  ['/explorer/assets/react-dom', join(packageDir('react-dom'), 'umd')],
  ['/explorer/assets/graphql-ws', join(packageDir('graphql-ws'), 'umd')],
  ['/explorer', fileURLToPath(new URL('./static/', import.meta.url))],
];

function setSecurityHeaders(res: Response) {
  res.setHeader('Content-Security-Policy', EXPLORER_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/**
 * GraphiQL for people: at `GET /`, and at `GET /graphql` when the client prefers HTML (a browser);
 * every other request to /graphql (JSON clients, clients that accept anything) goes on to the GraphQL server.
 */
export function explorerRoutes(): Router {
  const page = readFileSync(new URL('./index.html', import.meta.url), 'utf8');
  const sendPage = (_req: Request, res: Response) => {
    setSecurityHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(page);
  };
  const router = express.Router();
  for (const [path, folder] of staticFolders) {
    router.use(path, express.static(folder, { index: false, setHeaders: setSecurityHeaders }));
  }
  router.get('/', sendPage);
  router.get('/graphql', (req: Request, res: Response, next: NextFunction) => {
    if (req.accepts(['application/json', 'text/html']) === 'text/html') sendPage(req, res);
    else next();
  });
  return router;
}

/**
 * Hive Gateway (Node) for `npm run bench -- gateways`, when HIVE_GATEWAY_DIR names a folder where
 * @graphql-hive/gateway-runtime is installed (`npm install --prefix <dir> @graphql-hive/gateway-runtime`;
 * not a dependency of ours: its @types/node would break our typecheck). Its identical in-flight
 * subgraph queries are deduplicated (its HTTP executor's default); each subgraph fetch carries the
 * principal (a header that is part of its deduplication key) and is signed as ours.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PRINCIPAL_HEADER, SIGNATURE_HEADER, signRequest } from '../../lib/internal-signature.js';
import { encodePrincipal } from '../../lib/principal.js';
import { benchAuthenticator, subgraphUrl } from './bench-authenticator.js';

const dir = process.env['HIVE_GATEWAY_DIR'];
if (!dir) throw new Error('HIVE_GATEWAY_DIR is needed');
const runtimePath = createRequire(join(dir, 'package.json')).resolve('@graphql-hive/gateway-runtime');
const { createGatewayRuntime } = await import(pathToFileURL(runtimePath.replace(/index\.cjs$/, 'index.js')).href);

const { secret, authenticate } = benchAuthenticator();
const services = new Map<string, string>();
const supergraph = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8').replace(
  /@join__graph\(name: "(\w+)", url: "[^"]*"\)/g,
  (_all, name: string) => {
    const url = subgraphUrl(name);
    services.set(new URL(url).host, name);
    return `@join__graph(name: "${name}", url: "${url}")`;
  },
);

const gateway = createGatewayRuntime({
  supergraph,
  logging: 'error',
  propagateHeaders: {
    fromClientToSubgraphs: async ({ request }: { request: Request }) => ({
      [PRINCIPAL_HEADER]: encodePrincipal(await authenticate(request.headers.get('authorization') ?? undefined)),
    }),
  },
  plugins: () => [
    {
      onFetch({ url, options, setOptions }: { url: string; options: { headers?: Record<string, string>; body?: string }; setOptions: (options: object) => void }) {
        const target = new URL(url);
        const headers = { ...options.headers };
        const principal = headers[PRINCIPAL_HEADER] ?? '';
        const service = services.get(target.host) ?? '';
        headers[SIGNATURE_HEADER] = signRequest(secret, { method: 'POST', service, path: target.pathname, principal, body: String(options.body ?? '') });
        setOptions({ ...options, headers });
      },
    },
  ],
});
const server = createServer(gateway);
server.listen(0, '127.0.0.1', () => console.log(`hive gateway http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));

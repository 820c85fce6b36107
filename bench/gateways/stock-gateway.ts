/**
 * Stock @apollo/gateway for `npm run bench -- gateways`: a plain ApolloGateway and ApolloServer over
 * the same supergraph, no plugin, whose data source only signs what it sends (the subgraphs refuse
 * unsigned calls). STOCK_FETCH=fetch (default) signs around Node's global fetch, as a plain
 * deployment would; STOCK_FETCH=node-http uses our keep-alive node:http fetcher instead.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { Fetcher } from '@apollo/utils.fetcher';
import { signingFetcher } from '../../gateway/signed-fetcher.js';
import { PRINCIPAL_HEADER, SIGNATURE_HEADER, signRequest } from '../../lib/internal-signature.js';
import { encodePrincipal, type Principal } from '../../lib/principal.js';
import { benchAuthenticator, subgraphUrl } from './bench-authenticator.js';

interface Context {
  principal: Principal;
}

const { secret, authenticate } = benchAuthenticator();

function globalFetchSigner(service: string): Fetcher {
  return (async (url: string, init: { method: string; headers: Record<string, string>; body: string }) => {
    const headers = { ...init.headers };
    headers[SIGNATURE_HEADER] = signRequest(secret, { method: 'POST', service, path: new URL(url).pathname, principal: headers[PRINCIPAL_HEADER]!, body: init.body });
    return fetch(url, { ...init, headers });
  }) as unknown as Fetcher;
}

const supergraphSdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
const gateway = new ApolloGateway({
  supergraphSdl,
  buildService: ({ name }) =>
    new RemoteGraphQLDataSource<Context>({
      url: subgraphUrl(name),
      fetcher: process.env['STOCK_FETCH'] === 'node-http' ? signingFetcher(secret, name) : globalFetchSigner(name),
      willSendRequest({ request, context }) {
        request.http?.headers.set(PRINCIPAL_HEADER, encodePrincipal(context.principal));
      },
    }),
});
const server = new ApolloServer<Context>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: 0, host: '127.0.0.1' },
  context: async ({ req }) => ({ principal: await authenticate(req.headers.authorization) }),
});
console.log(`stock gateway ${url.replace(/\/$/, '')}/graphql`);
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
